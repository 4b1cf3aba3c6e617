"""/gcm-objectives: the 23 objectives of the Global Compact for Safe, Orderly and Regular Migration.

Read by all, edited by admins.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import ListArgs, PageArgs, RevisionPageSchema, envelope
from registry.api.gcm_objectives.schemas import (
    GcmObjectiveCreateInput,
    GcmObjectivePageSchema,
    GcmObjectiveSchema,
    GcmObjectiveUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import gcm_objectives, revisions, writes
from registry.services.gcm_objectives import GCM_OBJECTIVE
from registry.services.tokens import Actor

blp = Blueprint(
    "gcm-objectives",
    __name__,
    url_prefix="/api/v1/gcm-objectives",
    description="The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration.",
)

SLUG = slug_parameter("GCM objective", "gcm-objective-15")
EXAMPLE = {
    "number": 15,
    "short_title": {"en": "Access to basic services"},
    "title": {"en": "Provide access to basic services for migrants"},
    "original_language": "en",
}
UPDATE_EXAMPLE = {"short_title": {"en": "Basic services"}}


@blp.route("")
class GcmObjectives(MethodView):
    @blp.query(ListArgs)
    @blp.read(GcmObjectivePageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List GCM objectives

        The 23 objectives of the Global Compact for Safe, Orderly and Regular Migration. Paginated, in a stable order.
        """
        found = gcm_objectives.list_gcm_objectives(
            db.session, args["page"], args["page_size"], args.get("updated_since")
        )
        return envelope(found)

    @blp.staff("admin")
    @blp.arguments(GcmObjectiveCreateInput, example=EXAMPLE)
    @blp.created(GcmObjectiveSchema, "gcm-objectives.GcmObjectiveBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a GCM objective

        A new GCM objective; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, GCM_OBJECTIVE, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class GcmObjectiveBySlug(MethodView):
    @blp.read(GcmObjectiveSchema)
    def get(self, slug: str) -> Any:
        """Get one GCM objective

        One GCM objective, by its slug; 404 if there is none.
        """
        return gcm_objectives.get_gcm_objective(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(GcmObjectiveUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(GcmObjectiveSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a GCM objective

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = gcm_objectives.get_gcm_objective(db.session, slug)
        blp.check_if_match(record, GcmObjectiveSchema, GCM_OBJECTIVE.noun)
        return writes.update(db.session, GCM_OBJECTIVE, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a GCM objective

        Deletes a GCM objective that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = gcm_objectives.get_gcm_objective(db.session, slug)
        blp.check_if_match(record, GcmObjectiveSchema, GCM_OBJECTIVE.noun)
        writes.remove(db.session, GCM_OBJECTIVE, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class GcmObjectiveRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a GCM objective's revisions

        Every create, update and delete of the GCM objective with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, GCM_OBJECTIVE, slug, args["page"], args["page_size"]))
