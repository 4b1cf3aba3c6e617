"""/sdg-targets: sustainable Development Goal targets relevant to migration. Read by all, edited by admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import ListArgs, PageArgs, RevisionPageSchema, envelope
from registry.api.sdg_targets.schemas import (
    SdgTargetCreateInput,
    SdgTargetPageSchema,
    SdgTargetSchema,
    SdgTargetUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import revisions, sdg_targets, writes
from registry.services.sdg_targets import SDG_TARGET
from registry.services.tokens import Actor

blp = Blueprint(
    "sdg-targets",
    __name__,
    url_prefix="/api/v1/sdg-targets",
    description="Sustainable Development Goal targets relevant to migration.",
)

SLUG = slug_parameter("SDG target", "10-7")
EXAMPLE = {
    "code": "10.7",
    "goal": 10,
    "original_language": "en",
    "title": {
        "en": "Facilitate orderly, safe, regular and responsible migration and mobility of people, "
        "including through the implementation of planned and well-managed migration policies"
    },
}
UPDATE_EXAMPLE = {"title": {"en": "Safe, orderly and regular migration"}}


@blp.route("")
class SdgTargets(MethodView):
    @blp.query(ListArgs)
    @blp.read(SdgTargetPageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List SDG targets

        Sustainable Development Goal targets relevant to migration. Paginated, in a stable order.
        """
        found = sdg_targets.list_sdg_targets(db.session, args["page"], args["page_size"], args.get("updated_since"))
        return envelope(found)

    @blp.staff("admin")
    @blp.arguments(SdgTargetCreateInput, example=EXAMPLE)
    @blp.created(SdgTargetSchema, "sdg-targets.SdgTargetBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a SDG target

        A new SDG target; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, SDG_TARGET, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class SdgTargetBySlug(MethodView):
    @blp.read(SdgTargetSchema)
    def get(self, slug: str) -> Any:
        """Get one SDG target

        One SDG target, by its slug; 404 if there is none.
        """
        return sdg_targets.get_sdg_target(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(SdgTargetUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(SdgTargetSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a SDG target

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = sdg_targets.get_sdg_target(db.session, slug)
        blp.check_if_match(record, SdgTargetSchema, SDG_TARGET.noun)
        return writes.update(db.session, SDG_TARGET, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a SDG target

        Deletes a SDG target that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = sdg_targets.get_sdg_target(db.session, slug)
        blp.check_if_match(record, SdgTargetSchema, SDG_TARGET.noun)
        writes.remove(db.session, SDG_TARGET, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class SdgTargetRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a SDG target's revisions

        Every create, update and delete of the SDG target with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, SDG_TARGET, slug, args["page"], args["page_size"]))
