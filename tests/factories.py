"""Synthetic test data, written through the one write path (validated input, then ``records.upsert``).

Every record made here says it is synthetic (its provenance, or its name where it has no provenance) and
lives only in a test database. ``insert_practices`` is the one exception to the write path: a fast Core
insert for the query-count tests, which need many rows and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import factory
from sqlalchemy import insert, select

from registry.extensions import db
from registry.models import GcmObjective, LocalGovernment, Practice, Right, SdgTarget, Session, TargetGroup
from registry.models.practices import (
    practice_gcm_objectives,
    practice_partner_local_governments,
    practice_rights,
    practice_sdg_targets,
    practice_target_groups,
)
from registry.services import practices, records
from registry.services.local_governments import LOCAL_GOVERNMENT
from registry.services.organisations import ORGANISATION
from registry.services.practices import PRACTICE_WITH_STATUS
from registry.services.questions import question_slug
from registry.services.records import Kind, upsert
from registry.services.sessions import PERSON, write_session
from registry.services.sessions import SESSION as SESSION_KIND

SYNTHETIC = "Synthetic test data: invented for the registry's tests; it describes nothing real."
SESSION = "droits-humains-des-migrants"


def question(number: int, session: str = SESSION) -> str:
    return question_slug(session, number)


class PracticeInput(factory.DictFactory):
    """Input of ``PRACTICE_WITH_STATUS``: a published practice in English unless told otherwise."""

    slug = factory.Sequence(lambda n: f"synthetic-practice-{n}")
    original_language = "en"
    title = factory.LazyAttribute(lambda o: {o.original_language: f"Synthetic practice {o.slug}"})
    lead_local_government = "madrid"
    status = "published"
    provenance = SYNTHETIC


class LocalGovernmentInput(factory.DictFactory):
    slug = factory.Sequence(lambda n: f"synthetic-town-{n}")
    name = factory.LazyAttribute(lambda o: {"en": f"Synthetic town {o.slug}"})
    original_language = "en"
    kind = "municipality"
    country = "FR"
    m49_region = "150"
    m49_sub_region = "155"
    provenance = SYNTHETIC


class OrganisationInput(factory.DictFactory):
    slug = factory.Sequence(lambda n: f"synthetic-organisation-{n}")
    name = factory.LazyAttribute(lambda o: {"en": f"Synthetic organisation {o.slug} (test data)"})
    original_language = "en"
    kind = "civil_society"


class PersonInput(factory.DictFactory):
    slug = factory.Sequence(lambda n: f"synthetic-person-{n}")
    name = factory.LazyAttribute(lambda o: f"Synthetic Person {o.slug}")
    role = {"en": "Synthetic participant (test data)"}
    original_language = "en"


class SessionInput(factory.DictFactory):
    slug = factory.Sequence(lambda n: f"synthetic-session-{n}")
    title = factory.LazyAttribute(lambda o: {"en": f"Synthetic session {o.slug}"})
    original_language = "en"
    provenance = SYNTHETIC


@contextmanager
def clock(at: datetime | None) -> Iterator[None]:
    """Writes inside see ``at`` as the current time (so tests choose ``updated_at``); no-op for None."""
    if at is None:
        yield
        return
    with mock.patch.object(records, "utcnow", lambda: at), mock.patch.object(practices, "utcnow", lambda: at):
        yield


def write(kind: Kind, data: dict[str, Any], *, at: datetime | None = None) -> Any:
    """Validate ``data`` with the kind's schema and upsert it (flushed, not committed)."""
    loaded = kind.schema().load(data)
    with clock(at):
        return upsert(db.session, kind, loaded, actor="test").record


def create_practice(*, at: datetime | None = None, **fields: Any) -> Practice:
    return write(PRACTICE_WITH_STATUS, PracticeInput(**fields), at=at)


def create_local_government(**fields: Any) -> LocalGovernment:
    return write(LOCAL_GOVERNMENT, LocalGovernmentInput(**fields))


def create_organisation(**fields: Any) -> Any:
    return write(ORGANISATION, OrganisationInput(**fields))


def create_person(**fields: Any) -> Any:
    return write(PERSON, PersonInput(**fields))


def create_session(**fields: Any) -> Session:
    data = SESSION_KIND.schema().load(SessionInput(**fields))
    return write_session(db.session, data, actor="test")[0].record


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- fast bulk rows for the query-count tests ------------------------------------------------------------------


def _ids(model: type, slugs: Sequence[str]) -> list[int]:
    found = dict(db.session.execute(select(model.slug, model.id).where(model.slug.in_(slugs))).all())
    return [found[slug] for slug in slugs]


def insert_practices(
    count: int,
    *,
    prefix: str = "synthetic-bulk",
    leads: Sequence[str] = ("madrid", "upala", "pikine"),
    partners: Sequence[str] = ("gaborone", "sao-paulo"),
    rights: Sequence[str] = ("housing", "food", "health", "work"),
    target_groups: Sequence[str] = ("women", "children", "refugees"),
    gcm_objectives: Sequence[str] = ("gcm-objective-15", "gcm-objective-16", "gcm-objective-7"),
    sdg_targets: Sequence[str] = ("10-7", "11-1", "16-2"),
    per_practice: int = 3,
) -> list[int]:
    """``count`` published synthetic practices, each with ``per_practice`` of every classification.

    Core inserts (no revisions): the rows satisfy every database constraint, and the search triggers index
    them as usual. Returns the new practices' ids.
    """
    lead_ids = _ids(LocalGovernment, leads)
    session_id = db.session.scalar(select(Session.id).where(Session.slug == SESSION))
    now = datetime.now(UTC)
    db.session.execute(
        insert(Practice),
        [
            {
                "slug": f"{prefix}-{n:04d}", "title": {"en": f"Synthetic bulk practice {n}"},
                "summary": {"en": "Synthetic test data."}, "original_language": "en",
                "lead_local_government_id": lead_ids[n % len(lead_ids)], "session_id": session_id,
                "start_year": 2000 + n % 20, "funding_kinds": [], "provenance": SYNTHETIC,
                "documentation": "complete", "status": "published", "published_at": now,
                "version": 1, "created_at": now, "updated_at": now,
            }
            for n in range(count)
        ],
    )
    ids = list(db.session.scalars(select(Practice.id).where(Practice.slug.like(f"{prefix}-%")).order_by(Practice.id)))
    links = [
        (practice_partner_local_governments, "local_government_id", _ids(LocalGovernment, partners)),
        (practice_rights, "right_id", _ids(Right, rights)),
        (practice_target_groups, "target_group_id", _ids(TargetGroup, target_groups)),
        (practice_gcm_objectives, "gcm_objective_id", _ids(GcmObjective, gcm_objectives)),
        (practice_sdg_targets, "sdg_target_id", _ids(SdgTarget, sdg_targets)),
    ]
    for table, column, targets in links:
        rows = [
            {"practice_id": practice_id, column: targets[(n + k) % len(targets)]}
            for n, practice_id in enumerate(ids)
            for k in range(min(per_practice, len(targets)))
        ]
        db.session.execute(insert(table), rows)
    return ids
