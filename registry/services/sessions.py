"""Sessions, their participants and the people in them: how they are written and read (no HTTP here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.models import LocalGovernment, Network, Organisation, Person, Session, SessionParticipant
from registry.services import validation as v
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.questions import QUESTION, question_slug
from registry.services.records import Kind, Ref, Rows, WriteResult, original_text, upsert

#: People in a public role in a session; written by seeds and imports only (no endpoint of their own).
PERSON = Kind(
    "person", Person, v.PersonInput, "person",
    {
        "local_government": Ref("local_government", LocalGovernment),
        "organisation": Ref("organisation", Organisation),
        "network": Ref("network", Network),
    },
)
#: A session as seeds and imports write it: with the questions it puts (records of their own, see
#: ``write_session``). The API writes a session without them (``v.SessionRecordInput``).
SESSION = Kind(
    "session", Session, v.SessionInput, "session",
    {"participants": Rows("participants", SessionParticipant, ("person", "role"), {"person": Ref("person", Person)})},
    original_text("title"), stored_apart=("questions",),
)


def write_session(
    db: DbSession, data: dict[str, Any], *, actor: str, token_id: int | None = None,
    keep: Callable[[Kind, str], bool] | None = None,
    stamp: Mapping[str, Any] | None = None, question_stamps: Mapping[int, Mapping[str, Any]] | None = None,
    revise_creation: bool = True,
) -> list[WriteResult]:
    """Write a session, then each of the questions it puts (questions are records of their own).

    ``keep(kind, slug)`` names records to leave as they are (the seed's, for records staff changed).
    ``stamp``, ``question_stamps`` (by question number) and ``revise_creation`` go to ``upsert`` (see there)."""
    results = []
    how: dict[str, Any] = {"actor": actor, "token_id": token_id, "revise_creation": revise_creation}
    if keep is None or not keep(SESSION, data["slug"]):
        results.append(upsert(db, SESSION, data, stamp=stamp, **how))
    for question in data.get("questions", []):
        record = {**question, "slug": question_slug(data["slug"], question["number"]), "session": data["slug"]}
        if keep is None or not keep(QUESTION, record["slug"]):
            results.append(upsert(db, QUESTION, record, stamp=(question_stamps or {}).get(question["number"]), **how))
    return results


def _detail_options() -> list[Any]:
    person = selectinload(Session.participants).selectinload(SessionParticipant.person)
    return [
        person.selectinload(Person.local_government),
        person.selectinload(Person.network),
        person.selectinload(Person.organisation),
        selectinload(Session.questions),
    ]


def list_sessions(db: DbSession, page: int, page_size: int, updated_since: datetime | None = None) -> Page:
    """Every session, by date (undated ones last, on both engines) then slug."""
    statement = select(Session).order_by(Session.date.nulls_last(), Session.slug)
    return paginate(db, only_updated_since(statement, Session, updated_since), page, page_size)


def get_session(db: DbSession, slug: str) -> Session:
    return by_slug(db, SESSION, slug, *_detail_options())
