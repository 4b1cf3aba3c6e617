"""/practice-types: the approaches a practice takes, as the session concept note describes them.

Read by all, edited by admins.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import ListArgs, PageArgs, RevisionPageSchema, envelope
from registry.api.practice_types.schemas import (
    PracticeTypeCreateInput,
    PracticeTypePageSchema,
    PracticeTypeSchema,
    PracticeTypeUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import practice_types, revisions, writes
from registry.services.practice_types import PRACTICE_TYPE
from registry.services.tokens import Actor

blp = Blueprint(
    "practice-types",
    __name__,
    url_prefix="/api/v1/practice-types",
    description="The approaches a practice takes, as the session concept note describes them.",
)

SLUG = slug_parameter("practice type", "humanitarian-reception")
EXAMPLE = {"label": {"en": "Legal counselling", "fr": "Conseil juridique"}, "original_language": "en"}
UPDATE_EXAMPLE = {"label": {"en": "Legal counselling", "es": "Asesoría jurídica"}}


@blp.route("")
class PracticeTypes(MethodView):
    @blp.query(ListArgs)
    @blp.read(PracticeTypePageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List practice types

        The approaches a practice takes, as the session concept note describes them. Paginated, in a stable order.
        """
        found = practice_types.list_practice_types(
            db.session, args["page"], args["page_size"], args.get("updated_since")
        )
        return envelope(found)

    @blp.staff("admin")
    @blp.arguments(PracticeTypeCreateInput, example=EXAMPLE)
    @blp.created(PracticeTypeSchema, "practice-types.PracticeTypeBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a practice type

        A new practice type; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, PRACTICE_TYPE, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class PracticeTypeBySlug(MethodView):
    @blp.read(PracticeTypeSchema)
    def get(self, slug: str) -> Any:
        """Get one practice type

        One practice type, by its slug; 404 if there is none.
        """
        return practice_types.get_practice_type(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(PracticeTypeUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(PracticeTypeSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a practice type

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = practice_types.get_practice_type(db.session, slug)
        blp.check_if_match(record, PracticeTypeSchema, PRACTICE_TYPE.noun)
        return writes.update(db.session, PRACTICE_TYPE, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a practice type

        Deletes a practice type that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = practice_types.get_practice_type(db.session, slug)
        blp.check_if_match(record, PracticeTypeSchema, PRACTICE_TYPE.noun)
        writes.remove(db.session, PRACTICE_TYPE, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class PracticeTypeRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a practice type's revisions

        Every create, update and delete of the practice type with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, PRACTICE_TYPE, slug, args["page"], args["page_size"]))
