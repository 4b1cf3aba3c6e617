"""/questions: the questions sessions put, in each session's own wording with translations.

Read by all, edited by admins.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from registry.api.common import PageArgs, RevisionPageSchema, envelope
from registry.api.questions.schemas import (
    QuestionArgsSchema,
    QuestionCreateInput,
    QuestionPageSchema,
    QuestionSchema,
    QuestionUpdateInput,
)
from registry.api.smorest import LIST_HEADERS, Blueprint, slug_parameter
from registry.extensions import db
from registry.services import questions, revisions, writes
from registry.services.questions import QUESTION
from registry.services.tokens import Actor

blp = Blueprint(
    "questions",
    __name__,
    url_prefix="/api/v1/questions",
    description="The questions sessions put, in each session's own wording with translations.",
)

SLUG = slug_parameter("question", "droits-humains-des-migrants-q1")
EXAMPLE = {
    "session": "droits-humains-des-migrants",
    "number": 8,
    "original_language": "fr",
    "text": {"fr": "Une question d'exemple (synthétique) ?"},
}
UPDATE_EXAMPLE = {"text": {"fr": "Une question d'exemple (synthétique), reformulée ?"}}


@blp.route("")
class Questions(MethodView):
    @blp.query(QuestionArgsSchema)
    @blp.read(QuestionPageSchema, headers=LIST_HEADERS, not_found=False)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List questions

        The questions sessions put, in each session's own wording with translations. Paginated, in a stable order.
        """
        found = questions.list_questions(
            db.session, args.get("session"), args["page"], args["page_size"], args.get("updated_since")
        )
        return envelope(found)

    @blp.staff("admin")
    @blp.arguments(QuestionCreateInput, example=EXAMPLE)
    @blp.created(QuestionSchema, "questions.QuestionBySlug")
    def post(self, data: dict[str, Any], actor: Actor) -> Any:
        """Create a question

        A new question; the slug is made when not given. Admins only. Answers 201 with `Location` and the
        record; a taken slug (or another unique value) is a 409. With an `Idempotency-Key` header,
        the same key and body replay the first answer.
        """
        return writes.create(db.session, QUESTION, data, actor)


@blp.route("/<slug>", parameters=[SLUG])
class QuestionBySlug(MethodView):
    @blp.read(QuestionSchema)
    def get(self, slug: str) -> Any:
        """Get one question

        One question, by its slug; 404 if there is none.
        """
        return questions.get_question(db.session, slug)

    @blp.staff("admin")
    @blp.arguments(QuestionUpdateInput, example=UPDATE_EXAMPLE)
    @blp.updated(QuestionSchema)
    def patch(self, changes: dict[str, Any], slug: str, actor: Actor) -> Any:
        """Update a question

        Changes the fields given and leaves the others. Admins only. Needs `If-Match` with the ETag of
        the version edited: 428 without it, 412 when someone changed it in between.
        """
        record = questions.get_question(db.session, slug)
        blp.check_if_match(record, QuestionSchema, QUESTION.noun)
        return writes.update(db.session, QUESTION, record, changes, actor)

    @blp.staff("admin")
    @blp.deleted()
    def delete(self, slug: str, actor: Actor) -> None:
        """Delete a question

        Deletes a question that no other record refers to; one still referred to is a 409 naming
        what refers to it. Admins only. Needs `If-Match`. The last state stays in the revision history.
        """
        record = questions.get_question(db.session, slug)
        blp.check_if_match(record, QuestionSchema, QUESTION.noun)
        writes.remove(db.session, QUESTION, record, actor)


@blp.route("/<slug>/revisions", parameters=[SLUG])
class QuestionRevisions(MethodView):
    @blp.staff("editor")
    @blp.query(PageArgs)
    @blp.read(RevisionPageSchema, headers=LIST_HEADERS)
    def get(self, args: dict[str, Any], slug: str, actor: Actor) -> dict[str, Any]:
        """List a question's revisions

        Every create, update and delete of the question with this slug, newest first: who, when,
        and each changed field with its old and new value. Editors and admins. A slug whose record
        was deleted keeps its history, which answers here as long as some revision exists.
        """
        return envelope(revisions.of_slug(db.session, QUESTION, slug, args["page"], args["page_size"]))
