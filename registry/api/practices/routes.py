"""/practices: the registry's records of what local governments do, read by all, edited by staff."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.auth import current_token
from registry.api.common import PageArgs, RevisionPageSchema, envelope
from registry.api.practices.schemas import (
    PracticeCreateInput,
    PracticePageSchema,
    PracticeQueryArgsSchema,
    PracticeSchema,
    PracticeUpdateInput,
    TransitionInputSchema,
    dump_practice,
    dump_practice_page,
)
from registry.api.proposals.schemas import ProposalPageSchema, ProposalQueryArgs, ProposalSchema
from registry.api.remembered import answer
from registry.api.smorest import LIST_HEADERS, Blueprint, Deferred, slug_parameter
from registry.extensions import db
from registry.models import PracticeProposal
from registry.models.practices import STATUSES
from registry.services import practices, proposals, revisions, writes
from registry.services.practices import FILTERS, PRACTICE, PracticeQuery
from registry.services.tokens import Actor

blp = Blueprint("practices", __name__, url_prefix="/api/v1/practices", description="Practices of local governments")

SLUG = slug_parameter("practice", "madrid-droits-humains-des-migrants")
EXAMPLE = {
    "title": {"fr": "Accueil humanitaire municipal", "en": "Municipal humanitarian reception"},
    "original_language": "fr", "lead_local_government": "madrid", "rights": ["housing"],
    "provenance": "Documented by the network's staff from the city's report.",
}
#: A PATCH is a JSON Merge Patch: Spanish title added or changed, English title removed, a year set.
PATCH_EXAMPLE = {"title": {"es": "Acogida humanitaria municipal", "en": None}, "start_year": 2016}
#: An editor's PATCH of a published practice answers 202 with the proposal that waits for review.
PROPOSED = Deferred(PracticeProposal, ProposalSchema, "proposals.ProposalById", "proposal_id")


def _visible_statuses(asked: list[str] | None = None) -> tuple[str, ...]:
    """Every status for staff (or those they ask for); published only for everyone else, who may not
    ask for a status at all (401)."""
    staff = current_token(required=asked is not None) is not None
    if asked is not None:
        return tuple(asked)
    return STATUSES if staff else ("published",)


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

        Page by number (`page`) or, but for the relevance order, by the `cursor` that `links.next`
        carries: each page then resumes after the last row of the one before.
        """
        query = PracticeQuery(
            filters={name: args[name] for name in FILTERS if name in args}, q=args.get("q"),
            updated_since=args.get("updated_since"), sort=args.get("sort"),
            statuses=_visible_statuses(args.get("status")),
        )

        def build(version: tuple[Any, ...]) -> dict[str, Any]:
            found = practices.find_practices(db.session, query, args["page"], args["page_size"], args.get("facets"),
                                             args.get("cursor"), version)
            return dump_practice_page(envelope(found.page, **({"facets": found.facets} if found.facets is not None
                                                              else {})))

        return answer(query.statuses, build)

    @blp.staff("editor")
    @blp.arguments(PracticeCreateInput, example=EXAMPLE)
    @blp.created(PracticeSchema, "practices.PracticeBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a practice

        A new practice, as a draft; the slug is made from the title when not given. Editors and
        admins. Answers 201 with `Location` and the record. With an `Idempotency-Key` header, the
        same key and body replay the first answer; the same key with another body is a 422.
        """
        return writes.create(db.session, PRACTICE, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class PracticeBySlug(MethodView):
    @blp.read(PracticeSchema)
    @blp.optional_staff()
    def get(self, slug: str) -> Any:
        """Get one practice

        A published practice with its local governments, classifications, partners, sources and
        session embedded, each with its slug and label. Staff tokens see every status.
        """
        statuses = _visible_statuses()
        return answer(statuses, lambda version: dump_practice(practices.get_practice(db.session, slug, statuses,
                                                                                      version)))

    @blp.staff("editor")
    @blp.arguments(PracticeUpdateInput, example=PATCH_EXAMPLE)
    @blp.updated(PracticeSchema, conflict=False, deferred=PROPOSED)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a practice

        A JSON Merge Patch (RFC 7396; `Content-Type: application/merge-patch+json` or
        `application/json`): the fields given change, the others stay. In a multilingual field only
        the languages given change: `{"title": {"es": "Acogida humanitaria municipal", "en": null}}`
        sets the Spanish title, removes the English one and keeps the others. The text in the
        original language cannot be removed (422 naming `title.fr`); `null` for a whole field
        clears it where it may be empty. Lists are replaced whole.

        Needs `If-Match` with the ETag of the version edited: 428 without it, 412 when someone
        changed the practice in between. An admin's change applies at once, as does an editor's to
        a practice not yet published. An editor's change to a published practice waits for review:
        202 Accepted with the proposal (`Location` gives its address); the practice, and what the
        public sees, stay as they are until an admin approves it (`/proposals/{id}/approve`).
        """
        practice = practices.practice_to_edit(db.session, slug)
        blp.check_if_match(practice, PracticeSchema, PRACTICE.noun)
        return proposals.edit_practice(db.session, practice, changes, actor)

    @blp.staff("admin")
    @blp.deleted(conflict=False)
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a practice

        A soft delete by an admin: the practice disappears from every answer but keeps its history
        and can be restored. Needs `If-Match`.
        """
        practice = practices.practice_to_edit(db.session, slug)
        blp.check_if_match(practice, PracticeSchema, PRACTICE.noun)
        writes.delete_practice(db.session, practice, actor)


@blp.route("/<slug>/transitions", parameters=[SLUG])
class PracticeTransitions(MethodView):
    @blp.staff("editor")
    @blp.arguments(TransitionInputSchema, example={"to": "in_review", "note": "Ready for review."})
    @blp.acted(PracticeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.too_large()
    def post(self, data: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Move a practice in the review workflow

        draft → in_review → published → archived, in_review → draft, and archived → draft.
        Publishing, archiving and restoring an archived practice to draft need an admin; any other
        move is a 422 naming the allowed ones.
        """
        practice = practices.practice_to_edit(db.session, slug)
        return writes.transition(db.session, practice, data["to"], data.get("note"), actor)


@blp.route("/<slug>/restore", parameters=[SLUG])
class PracticeRestore(MethodView):
    @blp.staff("admin")
    @blp.acted(PracticeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    def post(self, slug: str, actor: Actor) -> Any:
        """Restore a deleted practice

        Brings back a soft-deleted practice with its history, in the status it had. Admins only.
        """
        practice = practices.practice_to_edit(db.session, slug, deleted=True)
        return writes.restore_practice(db.session, practice, actor)


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
        practice = practices.practice_to_edit(db.session, slug, deleted=True)
        return envelope(revisions.of_practice(db.session, practice, args["page"], args["page_size"]))


@blp.route("/<slug>/proposals", parameters=[SLUG])
class PracticeProposals(MethodView):
    @blp.staff("editor")
    @blp.query(ProposalQueryArgs)
    @blp.read(ProposalPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a practice's proposals

        Editors' changes to this practice while published, newest first; `status=pending` lists
        those waiting for an admin. Editors and admins, deleted practices included.
        """
        practice = practices.practice_to_edit(db.session, slug, deleted=True)
        return envelope(proposals.find_proposals(db.session, args["page"], args["page_size"],
                                                 statuses=args.get("status"), practice=practice))
