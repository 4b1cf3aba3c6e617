"""/organisations: civil-society and other partners of local governments. Read by all, edited by admins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import ListArgs, PageArgs, RevisionPageSchema, envelope
from registry.api.organisations.schemas import (
    OrganisationCreateInput,
    OrganisationPageSchema,
    OrganisationSchema,
    OrganisationUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import organisations, revisions, writes
from registry.services.organisations import ORGANISATION
from registry.services.tokens import Actor

blp = Blueprint(
    "organisations",
    __name__,
    url_prefix="/api/v1/organisations",
    description="Civil-society and other partners of local governments.",
)

SLUG = slug_parameter("organisation", "example-organisation")
EXAMPLE = {
    "name": {"en": "Example legal aid association (synthetic)"},
    "kind": "civil_society",
    "country": "ES",
    "original_language": "en",
}
UPDATE_EXAMPLE = {"website": "https://example.org/"}


@blp.route("")
class Organisations(MethodView):
    @blp.query(ListArgs)
    @blp.read(OrganisationPageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List organisations

        Civil-society and other partners of local governments. Paginated, in a stable order.
        """
        found = organisations.list_organisations(db.session, args["page"], args["page_size"], args.get("updated_since"))
        return envelope(found)

    @blp.staff("admin")
    @blp.arguments(OrganisationCreateInput, example=EXAMPLE)
    @blp.created(OrganisationSchema, "organisations.OrganisationBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a organisation

        A new organisation; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, ORGANISATION, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class OrganisationBySlug(MethodView):
    @blp.read(OrganisationSchema)
    def get(self, slug: str) -> Any:
        """Get one organisation

        One organisation, by its slug; 404 if there is none.
        """
        return organisations.get_organisation(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(OrganisationUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(OrganisationSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a organisation

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = organisations.get_organisation(db.session, slug)
        blp.check_if_match(record, OrganisationSchema, ORGANISATION.noun)
        return writes.update(db.session, ORGANISATION, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a organisation

        Deletes a organisation that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = organisations.get_organisation(db.session, slug)
        blp.check_if_match(record, OrganisationSchema, ORGANISATION.noun)
        writes.remove(db.session, ORGANISATION, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class OrganisationRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a organisation's revisions

        Every create, update and delete of the organisation with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, ORGANISATION, slug, args["page"], args["page_size"]))
