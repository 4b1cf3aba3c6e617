"""The questions sessions put: how they are written and read (no HTTP here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.models import Question, Session
from registry.services import validation as v
from registry.services.filters import ids_by_slug
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind, Ref


def question_slug(session_slug: str, number: int) -> str:
    """A question's public id: its session's slug and its number."""
    return f"{session_slug}-q{number}"


QUESTION = Kind(
    "question", Question, v.QuestionRecordInput, "question", {"session": Ref("session", Session)},
    lambda data: question_slug(data["session"], data["number"]), unique=(("session", "number"),),
)


def _options() -> list[Any]:
    return [selectinload(Question.session)]


def list_questions(
    db: DbSession, sessions: list[str] | None, page: int, page_size: int, updated_since: datetime | None = None
) -> Page:
    """The questions of the sessions named (all without), by session then number; ``QueryError`` for an
    unknown session."""
    statement = only_updated_since(select(Question).order_by(Question.session_id, Question.number), Question,
                                   updated_since)
    if sessions:
        statement = statement.where(Question.session_id.in_(ids_by_slug(db, Session, "session", sessions)))
    return paginate(db, statement.options(*_options()), page, page_size)


def get_question(db: DbSession, slug: str) -> Question:
    return by_slug(db, QUESTION, slug, *_options())
