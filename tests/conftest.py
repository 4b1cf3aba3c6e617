"""Fixtures: an app per test on a fresh database, for every backend under test.

SQLite always runs. PostgreSQL runs too when ``REGISTRY_TEST_POSTGRES_URL`` names a server
(e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/test``): the run creates its own
databases there and drops them at the end. An unreachable server fails the run; it is never
skipped.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from registry import create_app

POSTGRES_URL = os.environ.get("REGISTRY_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


class PostgresServer:
    """Creates and drops this run's databases on the server named by the environment."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.prefix = f"registry_test_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []
        self._admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as connection:  # fails the run at once if unreachable
            connection.execute(text("SELECT 1"))

    def create(self, suffix: str, template: str | None = None) -> URL:
        name = f"{self.prefix}_{suffix}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)
        return self.url.set(database=name)

    def drop(self, name: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        for name in list(self.created):
            self.drop(name)
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | None]:
    if not POSTGRES_URL:
        yield None
        return
    server = PostgresServer(POSTGRES_URL)
    yield server
    server.close()


def make_app(database_url: str | URL, **config: Any) -> Flask:
    if isinstance(database_url, URL):
        database_url = database_url.render_as_string(hide_password=False)
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, **config})


def _upgrade(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        from registry.extensions import db

        db.engine.dispose()


def _seed(app: Flask) -> None:
    from registry.extensions import db
    from registry.services.seeding import load_seeds, read_seeds

    with app.app_context():
        load_seeds(db.session, read_seeds(SEEDS_DIR))
        db.session.commit()
        db.engine.dispose()


class Templates:
    """Migrated (and migrated + seeded) databases made once per run, copied for each test."""

    def __init__(self, tmp: Path, postgres: PostgresServer | None):
        self.tmp = tmp
        self.postgres = postgres
        self._made: dict[tuple[str, bool], str | URL] = {}

    def get(self, backend: str, seeded: bool) -> str | URL:
        key = (backend, seeded)
        if key not in self._made:
            if backend == "sqlite":
                url: str | URL = f"sqlite:///{self.tmp / ('seeded' if seeded else 'migrated')}.sqlite3"
            else:
                assert self.postgres is not None
                url = self.postgres.create("seeded" if seeded else "migrated")
            app = make_app(url)
            _upgrade(app)
            if seeded:
                _seed(app)
            self._made[key] = url
        return self._made[key]


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, postgres: PostgresServer | None) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"), postgres)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def fresh_database_url(backend: str, tmp_path: Path, postgres: PostgresServer | None) -> Iterator[str | URL]:
    """An empty database (no tables at all) on the backend under test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    assert postgres is not None
    url = postgres.create(uuid.uuid4().hex[:8])
    yield url
    postgres.drop(url.database or "")


def _copy_of(backend: str, template: str | URL, tmp_path: Path, postgres: PostgresServer | None) -> Iterator[str | URL]:
    if backend == "sqlite":
        target = tmp_path / "registry.sqlite3"
        shutil.copyfile(str(template).removeprefix("sqlite:///"), target)
        yield f"sqlite:///{target}"
        return
    assert postgres is not None and isinstance(template, URL)
    url = postgres.create(uuid.uuid4().hex[:8], template=template.database)
    yield url
    postgres.drop(url.database or "")


@pytest.fixture
def migrated_database_url(backend: str, templates: Templates, tmp_path: Path, postgres: PostgresServer | None):
    yield from _copy_of(backend, templates.get(backend, seeded=False), tmp_path, postgres)


@pytest.fixture
def seeded_database_url(backend: str, templates: Templates, tmp_path: Path, postgres: PostgresServer | None):
    yield from _copy_of(backend, templates.get(backend, seeded=True), tmp_path, postgres)


def _app_on(url: str | URL) -> Iterator[Flask]:
    app = make_app(url)
    yield app
    with app.app_context():
        from registry.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(migrated_database_url: str | URL) -> Iterator[Flask]:
    """An app on a freshly migrated, empty database."""
    yield from _app_on(migrated_database_url)


@pytest.fixture
def seeded_app(seeded_database_url: str | URL) -> Iterator[Flask]:
    """An app on a freshly migrated database holding the seeds."""
    yield from _app_on(seeded_database_url)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
