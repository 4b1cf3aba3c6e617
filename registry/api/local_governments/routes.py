"""/local-governments: the municipalities, provinces and regions practices belong to; edited by staff."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import PageArgs, RevisionPageSchema, envelope
from registry.api.local_governments.schemas import (
    LocalGovernmentArgsSchema,
    LocalGovernmentCreateInput,
    LocalGovernmentDetailSchema,
    LocalGovernmentPageSchema,
    LocalGovernmentUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import local_governments, revisions, writes
from registry.services.local_governments import LOCAL_GOVERNMENT
from registry.services.tokens import Actor

blp = Blueprint(
    "local-governments",
    __name__,
    url_prefix="/api/v1/local-governments",
    description="Municipalities, provinces, metropolitan areas and regions, placed on the map.",
)

SLUG = slug_parameter("local government", "madrid")
EXAMPLE = {
    "name": {"ca": "Barcelona", "es": "Barcelona", "en": "Barcelona"}, "original_language": "ca",
    "kind": "municipality", "country": "ES", "m49_region": "150", "m49_sub_region": "039",
    "latitude": 41.39, "longitude": 2.17, "networks": ["uclg"], "provenance": "Added by network staff.",
}
UPDATE_EXAMPLE = {"website": "https://www.barcelona.cat/"}


@blp.route("")
class LocalGovernments(MethodView):
    @blp.query(LocalGovernmentArgsSchema)
    @blp.read(LocalGovernmentPageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List local governments

        Municipalities, provinces, metropolitan areas and regions, placed on the map. Paginated, in a
        stable order.
        """
        return envelope(local_governments.list_local_governments(db.session, args, args["page"], args["page_size"]))

    @blp.staff("editor")
    @blp.arguments(LocalGovernmentCreateInput, example=EXAMPLE)
    @blp.created(LocalGovernmentDetailSchema, "local-governments.LocalGovernmentBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a local government

        A new local government; the slug is made when not given. Editors and admins. Answers 201 with
        `Location` and the record; a taken slug (or another unique value) is a 409. With an
        `Idempotency-Key` header, the same key and body replay the first answer.
        """
        created = writes.create(db.session, LOCAL_GOVERNMENT, data, actor)
        return local_governments.with_counts(db.session, created)


@blp.route("/<slug>", parameters=[SLUG])
class LocalGovernmentBySlug(MethodView):
    @blp.read(LocalGovernmentDetailSchema)
    def get(self, slug: str) -> Any:
        """Get one local government

        One local government, by its slug; 404 if there is none.
        """
        return local_governments.with_counts(db.session, local_governments.get_local_government(db.session, slug))

    @blp.staff("editor")
    @blp.arguments(LocalGovernmentUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(LocalGovernmentDetailSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a local government

        Changes the fields given and leaves the others. Editors and admins. Needs `If-Match` with the
        ETag of the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = local_governments.get_local_government(db.session, slug)
        blp.check_if_match(local_governments.with_counts(db.session, record), LocalGovernmentDetailSchema,
                           LOCAL_GOVERNMENT.noun)
        return local_governments.with_counts(db.session, writes.update(db.session, LOCAL_GOVERNMENT, record,
                                                                       changes, actor))

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a local government

        Deletes a local government that no other record refers to; one still referred to is a 409
        naming what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision
        history.
        """
        record = local_governments.get_local_government(db.session, slug)
        blp.check_if_match(local_governments.with_counts(db.session, record), LocalGovernmentDetailSchema,
                           LOCAL_GOVERNMENT.noun)
        writes.remove(db.session, LOCAL_GOVERNMENT, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class LocalGovernmentRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a local government's revisions

        Every create, update and delete of the local government with this slug, newest first: who,
        when, and each changed field with its old and new value. Editors and admins. A slug whose
        record was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, LOCAL_GOVERNMENT, slug, args["page"], args["page_size"]))
