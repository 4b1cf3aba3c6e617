"""Helpers for the service tests: one database per module, a session per test that is rolled back, and
synthetic records written through the services themselves (no HTTP anywhere).

The services take their session explicitly, so each test hands them one bound to a connection whose outer
transaction is rolled back at the end: tests may write (and even commit, which only releases a SAVEPOINT)
without one test's records reaching the next. Tests about what a real commit or rollback does use the
``app`` fixture instead, on a database of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from registry.extensions import db as flask_db
from registry.models import Revision
from registry.services import practices, records, writes
from registry.services.local_governments import LOCAL_GOVERNMENT
from registry.services.practices import PRACTICE_WITH_STATUS
from registry.services.records import Kind, upsert
from registry.services.tokens import Actor
from tests.conftest import PostgresServer, Templates, copy_database, dispose, drop_database, make_app
from tests.factories import LocalGovernmentInput, PracticeInput

EDITOR = Actor("synthetic-editor", "editor")
ADMIN = Actor("synthetic-admin", "admin")
SESSION_SLUG = "droits-humains-des-migrants"  # the seeded session
MISSING = "synthetic-missing"


def shared_seeded_app(
    backend: str, templates: Templates, directory: Path, postgres: PostgresServer | None,
    build: Callable[[], None] | None = None,
) -> Iterator[Flask]:
    """An app on a copy of the seeded template, after ``build`` (in an app context) adds to it: made once
    for a module whose tests each write only in a ``rolled_back`` session."""
    url = copy_database(backend, templates.get(backend, seeded=True), directory, postgres)
    app = make_app(url)
    if build is not None:
        with app.app_context():
            build()
    yield app
    dispose(app)
    drop_database(url, postgres)


def module_app(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer | None, build: Callable[[], None] | None = None,
) -> Iterator[Flask]:
    """For a module-scoped fixture parametrised over ``BACKENDS``: the seeds (plus what ``build`` adds),
    made once for the module's tests, which each write only in a ``rolled_back`` session."""
    yield from shared_seeded_app(request.param, templates, tmp_path_factory.mktemp("services"), postgres, build)


@contextmanager
def rolled_back(app: Flask) -> Iterator[DbSession]:
    """A session in a transaction that is rolled back whatever the test does.

    pysqlite opens a transaction only before a data-changing statement, so a SAVEPOINT issued first would
    open (and its RELEASE commit) a transaction of its own: the BEGIN is issued here, explicitly.
    """
    with app.app_context():
        connection = flask_db.engine.connect()
        outer = connection.begin()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")
        session = DbSession(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            outer.rollback()
            connection.close()


@contextmanager
def clock(at: datetime | None) -> Iterator[None]:
    """Writes inside see ``at`` as the current time; no-op for None."""
    if at is None:
        yield
        return
    with (
        mock.patch.object(records, "utcnow", lambda: at),
        mock.patch.object(practices, "utcnow", lambda: at),
        mock.patch.object(writes, "utcnow", lambda: at),
    ):
        yield


def write(db: DbSession, kind: Kind, data: dict[str, Any], *, at: datetime | None = None) -> Any:
    """Validate ``data`` with the kind's schema and upsert it in ``db`` (flushed, not committed)."""
    with clock(at):
        return upsert(db, kind, kind.schema().load(data), actor="synthetic-test").record


def practice(db: DbSession, *, at: datetime | None = None, **fields: Any) -> Any:
    return write(db, PRACTICE_WITH_STATUS, PracticeInput(**fields), at=at)


def local_government(db: DbSession, **fields: Any) -> Any:
    return write(db, LOCAL_GOVERNMENT, LocalGovernmentInput(**fields))


def count(db: DbSession, model: type, *where: Any) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def revisions_of(db: DbSession, entity_type: str, slug: str) -> list[Revision]:
    statement = select(Revision).where(Revision.entity_type == entity_type, Revision.entity_slug == slug)
    return list(db.scalars(statement.order_by(Revision.id)))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC time (SQLite gives it back without its zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- A few synthetic practices, shared by the modules that only read them --------------------------------------

TOWN_NORTH = "synthetic-town-north"  # France, Western Europe; a member of UCLG
TOWN_SOUTH = "synthetic-town-south"  # Senegal, Western Africa
SHELTER = "synthetic-practice-shelter"  # lead: north; housing, food
JOBS = "synthetic-practice-jobs"  # lead: south, partner: north; work, housing
KITCHENS = "synthetic-practice-kitchens"  # lead: south; food
DRAFT = "synthetic-practice-draft"  # lead: north; a draft
DELETED = "synthetic-practice-deleted"  # lead: north; published, then soft-deleted
TOWNS = [TOWN_NORTH, TOWN_SOUTH]
T1, T2, T3 = utc(2021, 1, 1), utc(2022, 1, 1), utc(2023, 1, 1)


def build_world() -> None:
    """Two synthetic towns and their practices, committed (run in an app context by ``shared_app``)."""
    db = flask_db.session
    local_government(db, slug=TOWN_NORTH, name={"fr": "Ville synthétique d'Évry-Nord"}, original_language="fr",
                     networks=["uclg"])
    local_government(db, slug=TOWN_SOUTH, name={"en": "Synthetic South Town"}, country="SN", m49_region="002",
                     m49_sub_region="202")
    practice(db, at=T1, slug=SHELTER, lead_local_government=TOWN_NORTH, title={"en": "Alpha synthetic shelter"},
             rights=["housing", "food"], target_groups=["women"], start_year=2010, session=SESSION_SLUG)
    practice(db, at=T2, slug=JOBS, lead_local_government=TOWN_SOUTH, partner_local_governments=[TOWN_NORTH],
             title={"en": "Beta synthetic jobs"}, rights=["work", "housing"], start_year=2020)
    practice(db, at=T3, slug=KITCHENS, lead_local_government=TOWN_SOUTH,
             title={"en": "Gamma synthetic community kitchens"}, rights=["food"])
    practice(db, slug=DRAFT, status="draft", lead_local_government=TOWN_NORTH,
             title={"en": "Delta synthetic draft kitchens"}, rights=["housing", "food"])
    deleted = practice(db, slug=DELETED, lead_local_government=TOWN_NORTH,
                       title={"en": "Epsilon synthetic deleted kitchens"}, rights=["housing", "food"])
    writes.delete_practice(db, deleted, ADMIN)
    db.commit()
