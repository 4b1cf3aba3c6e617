"""/target-groups: the groups of migrants a practice serves. Read by all, edited by admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import ListArgs, PageArgs, RevisionPageSchema, envelope
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.api.target_groups.schemas import (
    TargetGroupCreateInput,
    TargetGroupPageSchema,
    TargetGroupSchema,
    TargetGroupUpdateInput,
)
from registry.extensions import db
from registry.services import revisions, target_groups, writes
from registry.services.target_groups import TARGET_GROUP
from registry.services.tokens import Actor

blp = Blueprint(
    "target-groups",
    __name__,
    url_prefix="/api/v1/target-groups",
    description="The groups of migrants a practice serves.",
)

SLUG = slug_parameter("target group", "women")
EXAMPLE = {"label": {"en": "Unaccompanied children", "fr": "Enfants non accompagnés"}, "original_language": "en"}
UPDATE_EXAMPLE = {"description": {"en": "Children who migrate without a parent or guardian."}}


@blp.route("")
class TargetGroups(MethodView):
    @blp.query(ListArgs)
    @blp.read(TargetGroupPageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List target groups

        The groups of migrants a practice serves. Paginated, in a stable order.
        """
        found = target_groups.list_target_groups(db.session, args["page"], args["page_size"], args.get("updated_since"))
        return envelope(found)

    @blp.staff("admin")
    @blp.arguments(TargetGroupCreateInput, example=EXAMPLE)
    @blp.created(TargetGroupSchema, "target-groups.TargetGroupBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a target group

        A new target group; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, TARGET_GROUP, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class TargetGroupBySlug(MethodView):
    @blp.read(TargetGroupSchema)
    def get(self, slug: str) -> Any:
        """Get one target group

        One target group, by its slug; 404 if there is none.
        """
        return target_groups.get_target_group(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(TargetGroupUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(TargetGroupSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a target group

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = target_groups.get_target_group(db.session, slug)
        blp.check_if_match(record, TargetGroupSchema, TARGET_GROUP.noun)
        return writes.update(db.session, TARGET_GROUP, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a target group

        Deletes a target group that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = target_groups.get_target_group(db.session, slug)
        blp.check_if_match(record, TargetGroupSchema, TARGET_GROUP.noun)
        writes.remove(db.session, TARGET_GROUP, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class TargetGroupRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a target group's revisions

        Every create, update and delete of the target group with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, TARGET_GROUP, slug, args["page"], args["page_size"]))
