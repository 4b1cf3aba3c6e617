"""/sessions: sessions where practices were presented, with their participants and questions.

Read by all, edited by admins.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import ListArgs, PageArgs, RevisionPageSchema, envelope
from registry.api.sessions.schemas import (
    SessionCreateInput,
    SessionSchema,
    SessionSummaryPageSchema,
    SessionUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import revisions, sessions, writes
from registry.services.sessions import SESSION
from registry.services.tokens import Actor

blp = Blueprint(
    "sessions",
    __name__,
    url_prefix="/api/v1/sessions",
    description="Sessions where practices were presented, with their participants and questions.",
)

SLUG = slug_parameter("session", "droits-humains-des-migrants")
EXAMPLE = {"title": {"fr": "Séance d'exemple (synthétique)"}, "original_language": "fr", "date": "2018-11-15"}
UPDATE_EXAMPLE = {"description": {"fr": "Une séance fictive, pour l'exemple."}}


@blp.route("")
class Sessions(MethodView):
    @blp.query(ListArgs)
    @blp.read(SessionSummaryPageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List sessions

        Sessions where practices were presented, with their participants and questions. Paginated, in a stable order.
        """
        return envelope(sessions.list_sessions(db.session, args["page"], args["page_size"], args.get("updated_since")))

    @blp.staff("admin")
    @blp.arguments(SessionCreateInput, example=EXAMPLE)
    @blp.created(SessionSchema, "sessions.SessionBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a session

        A new session; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, SESSION, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class SessionBySlug(MethodView):
    @blp.read(SessionSchema)
    def get(self, slug: str) -> Any:
        """Get one session

        One session, by its slug; 404 if there is none.
        """
        return sessions.get_session(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(SessionUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(SessionSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a session

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = sessions.get_session(db.session, slug)
        blp.check_if_match(record, SessionSchema, SESSION.noun)
        return writes.update(db.session, SESSION, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a session

        Deletes a session that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = sessions.get_session(db.session, slug)
        blp.check_if_match(record, SessionSchema, SESSION.noun)
        writes.remove(db.session, SESSION, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class SessionRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a session's revisions

        Every create, update and delete of the session with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, SESSION, slug, args["page"], args["page_size"]))
