"""/gcm-principles: the ten guiding principles of the Global Compact for Migration. Read by all, edited by admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import ListArgs, PageArgs, RevisionPageSchema, envelope
from registry.api.gcm_principles.schemas import (
    GcmPrincipleCreateInput,
    GcmPrinciplePageSchema,
    GcmPrincipleSchema,
    GcmPrincipleUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import gcm_principles, revisions, writes
from registry.services.gcm_principles import GCM_PRINCIPLE
from registry.services.tokens import Actor

blp = Blueprint(
    "gcm-principles",
    __name__,
    url_prefix="/api/v1/gcm-principles",
    description="The ten guiding principles of the Global Compact for Migration.",
)

SLUG = slug_parameter("GCM guiding principle", "human-rights")
EXAMPLE = {"number": 6, "title": {"en": "Human rights"}, "original_language": "en"}
UPDATE_EXAMPLE = {"title": {"en": "Human rights", "fr": "Droits de l'homme"}}


@blp.route("")
class GcmPrinciples(MethodView):
    @blp.query(ListArgs)
    @blp.read(GcmPrinciplePageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List GCM guiding principles

        The ten guiding principles of the Global Compact for Migration. Paginated, in a stable order.
        """
        found = gcm_principles.list_gcm_principles(
            db.session, args["page"], args["page_size"], args.get("updated_since")
        )
        return envelope(found)

    @blp.staff("admin")
    @blp.arguments(GcmPrincipleCreateInput, example=EXAMPLE)
    @blp.created(GcmPrincipleSchema, "gcm-principles.GcmPrincipleBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a GCM guiding principle

        A new GCM guiding principle; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, GCM_PRINCIPLE, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class GcmPrincipleBySlug(MethodView):
    @blp.read(GcmPrincipleSchema)
    def get(self, slug: str) -> Any:
        """Get one GCM guiding principle

        One GCM guiding principle, by its slug; 404 if there is none.
        """
        return gcm_principles.get_gcm_principle(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(GcmPrincipleUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(GcmPrincipleSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a GCM guiding principle

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = gcm_principles.get_gcm_principle(db.session, slug)
        blp.check_if_match(record, GcmPrincipleSchema, GCM_PRINCIPLE.noun)
        return writes.update(db.session, GCM_PRINCIPLE, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a GCM guiding principle

        Deletes a GCM guiding principle that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = gcm_principles.get_gcm_principle(db.session, slug)
        blp.check_if_match(record, GcmPrincipleSchema, GCM_PRINCIPLE.noun)
        writes.remove(db.session, GCM_PRINCIPLE, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class GcmPrincipleRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a GCM guiding principle's revisions

        Every create, update and delete of the GCM guiding principle with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, GCM_PRINCIPLE, slug, args["page"], args["page_size"]))
