"""/rights: rights categories, with the international instruments that set them out. Read by all, edited by admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import ListArgs, PageArgs, RevisionPageSchema, envelope
from registry.api.rights.schemas import (
    RightCreateInput,
    RightPageSchema,
    RightSchema,
    RightUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import revisions, rights, writes
from registry.services.rights import RIGHT
from registry.services.tokens import Actor

blp = Blueprint(
    "rights",
    __name__,
    url_prefix="/api/v1/rights",
    description="Rights categories, with the international instruments that set them out.",
)

SLUG = slug_parameter("rights category", "housing")
EXAMPLE = {
    "label": {"en": "Right to health", "fr": "Droit à la santé"},
    "original_language": "en",
    "instruments": ["ICESCR art. 12"],
}
UPDATE_EXAMPLE = {"instruments": ["UDHR art. 25", "ICESCR art. 12"]}


@blp.route("")
class Rights(MethodView):
    @blp.query(ListArgs)
    @blp.read(RightPageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List rights categories

        Rights categories, with the international instruments that set them out. Paginated, in a stable order.
        """
        return envelope(rights.list_rights(db.session, args["page"], args["page_size"], args.get("updated_since")))

    @blp.staff("admin")
    @blp.arguments(RightCreateInput, example=EXAMPLE)
    @blp.created(RightSchema, "rights.RightBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a rights category

        A new rights category; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, RIGHT, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class RightBySlug(MethodView):
    @blp.read(RightSchema)
    def get(self, slug: str) -> Any:
        """Get one rights category

        One rights category, by its slug; 404 if there is none.
        """
        return rights.get_right(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(RightUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(RightSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a rights category

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = rights.get_right(db.session, slug)
        blp.check_if_match(record, RightSchema, RIGHT.noun)
        return writes.update(db.session, RIGHT, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a rights category

        Deletes a rights category that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = rights.get_right(db.session, slug)
        blp.check_if_match(record, RightSchema, RIGHT.noun)
        writes.remove(db.session, RIGHT, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class RightRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a rights category's revisions

        Every create, update and delete of the rights category with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, RIGHT, slug, args["page"], args["page_size"]))
