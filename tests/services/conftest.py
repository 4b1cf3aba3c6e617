"""Fixtures of the service tests: a seeded database per module with a rolled-back session per test
(``shared`` and ``db``; a module that needs more records overrides them), and the import/export registries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from registry.extensions import db as flask_db
from tests.conftest import BACKENDS, SharedDatabase, SharedDatabases
from tests.exchange_data import add_synthetic_records
from tests.services.helpers import module_app, rolled_back


@pytest.fixture
def rich_app(seeded_app: Flask) -> Flask:
    """The seeded app plus ``add_synthetic_records``, in the test's transaction."""
    with seeded_app.app_context():
        add_synthetic_records()
        flask_db.session.remove()
    return seeded_app


@pytest.fixture
def empty_db(backend: str, databases: SharedDatabases, request: pytest.FixtureRequest) -> Iterator[SharedDatabase]:
    shared = databases.get(backend, "empty")
    with shared.transaction(request):
        yield shared


@pytest.fixture
def empty_app(empty_db: SharedDatabase) -> Flask:
    """A second migrated, empty registry beside ``seeded_app``'s (and ``app``'s), same engine."""
    return empty_db.app


@pytest.fixture(scope="module", params=BACKENDS)
def shared(request, templates, tmp_path_factory, postgres):  # noqa: ANN001, ANN201
    """The seeds, on a database made once for the module, whose tests write only through ``db``."""
    yield from module_app(request, templates, tmp_path_factory, postgres)


@pytest.fixture
def db(shared: Flask):  # noqa: ANN201
    """A session whose transaction is rolled back after the test, whatever it wrote or committed."""
    with rolled_back(shared) as session:
        yield session
