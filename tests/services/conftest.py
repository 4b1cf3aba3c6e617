"""Fixtures of the service tests: the import/export registries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from registry.extensions import db
from tests.conftest import SharedDatabase, SharedDatabases
from tests.exchange_data import add_synthetic_records


@pytest.fixture
def rich_app(seeded_app: Flask) -> Flask:
    """The seeded app plus ``add_synthetic_records``, in the test's transaction."""
    with seeded_app.app_context():
        add_synthetic_records()
        db.session.remove()
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
