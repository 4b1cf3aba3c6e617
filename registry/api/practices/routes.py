"""/practices: the registry's records of what local governments do, read by all, edited by staff."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select

from registry.api import writes
from registry.api.auth import current_token
from registry.api.common import PageArgs, RevisionPageSchema, envelope
from registry.api.practices.schemas import (
    PracticePageSchema,
    PracticeQueryArgsSchema,
    PracticeSchema,
    TransitionInputSchema,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.models import Practice, Revision
from registry.models.practices import STATUSES
from registry.services import editorial
from registry.services.editorial import Actor
from registry.services.listing import paginate
from registry.services.practice_queries import FILTERS, PracticeQuery, QueryError, find_practices, get_practice
from registry.services.search import SearchQueryError
from registry.services.validation import PracticeCreateInput, PracticeUpdateInput

blp = Blueprint("practices", __name__, url_prefix="/api/v1/practices", description="Practices of local governments")

SLUG = slug_parameter("practice", "madrid-droits-humains-des-migrants")


def _visible_statuses() -> tuple[str, ...]:
    return STATUSES if current_token(required=False) else ("published",)


def _found(slug: str, *, deleted: bool = False) -> Practice:
    """The practice a staff member may act on; 404 otherwise (including one hidden from the public)."""
    statement = select(Practice).where(Practice.slug == slug)
    if not deleted:
        statement = statement.where(Practice.deleted_at.is_(None))
    practice = db.session.scalar(statement)
    if practice is None:
        abort(404, message=f"No practice with slug {slug!r}.")
    return practice


def _represent(practice: Practice) -> dict[str, Any]:
    """The practice as a staff GET shows it now."""
    return PracticeSchema().dump(get_practice(practice.slug, STATUSES))


def _check_if_match(practice: Practice) -> None:
    writes.check_if_match(PracticeSchema().dump(practice), "practice")


@blp.route("")
class Practices(MethodView):
    @blp.query(PracticeQueryArgsSchema)
    @blp.read(PracticePageSchema, headers=LIST_HEADERS, not_found=False)
    @blp.optional_staff()
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List practices

        Published practices, filtered, searched, sorted and paginated. A parameter repeated means
        any-of; different parameters combine with all-of. An unknown parameter, or a value naming
        no known record, is a 400 problem naming it. With a staff token, every status is listed
        and `status` narrows them.
        """
        statuses = _visible_statuses()
        if "status" in args:
            if statuses == ("published",):
                current_token(required=True)
            statuses = tuple(args["status"])
        query = PracticeQuery(
            filters={name: args[name] for name in FILTERS if name in args},
            q=args.get("q"),
            updated_since=args.get("updated_since"),
            sort=args.get("sort"),
            statuses=statuses,
        )
        try:
            found = find_practices(query, args["page"], args["page_size"], args.get("facets"))
        except QueryError as error:
            abort(400, errors=error.errors, message="A query parameter names nothing the registry knows.")
        except SearchQueryError as error:
            abort(400, errors={"q": [str(error)]}, message="The search cannot be run.")
        extra = {"facets": found.facets} if found.facets is not None else {}
        return envelope(found.items, found.total, args["page"], args["page_size"], **extra)

    @blp.staff("editor")
    @blp.arguments(PracticeCreateInput, example={
        "title": {"fr": "Accueil humanitaire municipal", "en": "Municipal humanitarian reception"},
        "original_language": "fr", "lead_local_government": "madrid", "rights": ["housing"],
        "provenance": "Documented by the network's staff from the city's report.",
    })
    @blp.response(201, PracticeSchema, headers={**writes.LOCATION_HEADER, **writes.ETAG_HEADER})
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(parameters=[writes.IDEMPOTENCY_KEY])
    def post(self, data: dict[str, Any], actor: Actor) -> Response:
        """Create a practice

        A new practice, as a draft; the slug is made from the title when not given. Editors and
        admins. Answers 201 with `Location` and the record. With an `Idempotency-Key` header, the
        same key and body replay the first answer; the same key with another body is a 422.
        """
        return writes.create(
            actor, lambda: editorial.create_practice(db.session, data, actor),
            lambda practice: url_for("practices.PracticeBySlug", slug=practice.slug, _external=True), _represent,
        )


@blp.route("/<slug>", parameters=[SLUG])
class PracticeBySlug(MethodView):
    @blp.read(PracticeSchema)
    @blp.optional_staff()
    def get(self, slug: str) -> Any:
        """Get one practice

        A published practice with its local governments, classifications, partners, sources and
        session embedded, each with its slug and label. Staff tokens see every status.
        """
        practice = get_practice(slug, _visible_statuses())
        if practice is None:
            abort(404, message=f"No published practice with slug {slug!r}.")
        return practice

    @blp.staff("editor")
    @blp.arguments(PracticeUpdateInput, example={"start_year": 2016, "rights": ["housing", "food"]})
    @blp.response(200, PracticeSchema, headers=writes.ETAG_HEADER)
    @blp.if_match()
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Response:
        """Update a practice

        Changes the fields given and leaves the others. Needs `If-Match` with the ETag of the
        version edited: 428 without it, 412 when someone changed the practice in between.
        """
        writes.require_body()
        writes.require_if_match()
        practice = _found(slug)
        _check_if_match(practice)
        try:
            editorial.update_practice(db.session, practice, changes, actor)
        except editorial.EditorialError as error:
            writes.refused(error)
        return writes.written(lambda: _represent(practice))

    @blp.staff("admin")
    @blp.response(204)
    @blp.if_match()
    def delete(self, slug: str, actor: Actor) -> Response:
        """Delete a practice

        A soft delete by an admin: the practice disappears from every answer but keeps its history
        and can be restored. Needs `If-Match`.
        """
        writes.require_if_match()
        practice = _found(slug)
        _check_if_match(practice)
        editorial.delete_practice(db.session, practice, actor)
        return writes.deleted()


@blp.route("/<slug>/transitions", parameters=[SLUG])
class PracticeTransitions(MethodView):
    @blp.staff("editor")
    @blp.arguments(TransitionInputSchema, example={"to": "in_review", "note": "Ready for review."})
    @blp.response(200, PracticeSchema, headers=writes.ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data: dict[str, Any], slug: str, actor: Actor) -> Response:
        """Move a practice in the review workflow

        draft → in_review → published → archived, and in_review → draft. Publishing and archiving
        need an admin; any other move is a 422 naming the allowed ones.
        """
        practice = _found(slug)
        try:
            editorial.transition(db.session, practice, data["to"], data.get("note"), actor)
        except editorial.EditorialError as error:
            writes.refused(error)
        return writes.written(lambda: _represent(practice))


@blp.route("/<slug>/restore", parameters=[SLUG])
class PracticeRestore(MethodView):
    @blp.staff("admin")
    @blp.response(200, PracticeSchema, headers=writes.ETAG_HEADER)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, slug: str, actor: Actor) -> Response:
        """Restore a deleted practice

        Brings back a soft-deleted practice with its history, in the status it had. Admins only.
        """
        practice = _found(slug, deleted=True)
        try:
            editorial.restore_practice(db.session, practice, actor)
        except editorial.EditorialError as error:
            writes.refused(error)
        return writes.written(lambda: _represent(practice))


@blp.route("/<slug>/revisions", parameters=[SLUG])
class PracticeRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a practice's revisions

        Every create, update, status change, delete and restore, newest first: who, when, and each
        changed field with its old and new value. Editors and admins, deleted practices included.
        """
        practice = _found(slug, deleted=True)
        statement = (select(Revision).where(Revision.entity_type == "practice", Revision.entity_id == practice.id)
                     .order_by(Revision.created_at.desc(), Revision.id.desc()))
        items, total = paginate(statement, args["page"], args["page_size"])
        return envelope(items, total, args["page"], args["page_size"])

