"""Fixtures of the HTTP tests.

In tests/api, ``client`` is an anonymous client of the shared *seeded* app (the top conftest's is on the
empty one), in the test's transaction; ``staff`` holds two editors' and an admin's tokens made there.
Two sets of data are built once per module and engine (a ``layer``), each test then running in a
SAVEPOINT of its own below it: the practices ``world`` and the ``contract_data``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from registry.extensions import db
from registry.models import Practice
from tests.api.practice_world import SEEDED, build_world
from tests.api.routes import ROUTES_APP
from tests.conftest import BACKENDS, SharedDatabases, isolated, layer
from tests.helpers import API, Staff, add_records


@pytest.fixture
def client(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


@pytest.fixture
def staff(seeded_app: Flask) -> Staff:
    return Staff(seeded_app)


@pytest.fixture
def seeded(seeded_app: Flask) -> FlaskClient:
    """A client on the seeds as they are."""
    return seeded_app.test_client()


@pytest.fixture
def own_client(own_seeded_app: Flask) -> FlaskClient:
    """A client of a seeded database of its own: for threads that race each other on real commits."""
    return own_seeded_app.test_client()


@pytest.fixture
def own_staff(own_seeded_app: Flask) -> Staff:
    return Staff(own_seeded_app)


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """The OpenAPI document the app serves."""
    response = ROUTES_APP.test_client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json


# --- The practices world: the seeds plus synthetic practices chosen to tell right answers from wrong ones -----


@pytest.fixture(scope="module", params=BACKENDS)
def world_app(request: pytest.FixtureRequest, databases: SharedDatabases) -> Iterator[Flask]:
    yield from layer(request, databases, "seeded", build_world)


@pytest.fixture
def world(world_app: Flask, databases: SharedDatabases, request: pytest.FixtureRequest) -> Iterator[FlaskClient]:
    with isolated(databases, world_app, request):
        yield world_app.test_client()


@pytest.fixture(scope="module")
def seed_times(world_app: Flask) -> dict[str, datetime]:
    with world_app.app_context():
        rows = db.session.execute(select(Practice.slug, Practice.updated_at).where(Practice.slug.in_(SEEDED.values())))
        return dict(rows.all())


# --- The contract's data: the seeds plus a record or two more in every collection ---------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def contract_data(request: pytest.FixtureRequest, databases: SharedDatabases) -> Iterator[Flask]:
    yield from layer(request, databases, "seeded", add_records)


@pytest.fixture
def read_app(contract_data: Flask, databases: SharedDatabases, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The seeded app with two records or more in every collection."""
    with isolated(databases, contract_data, request):
        yield contract_data


@pytest.fixture
def reader(read_app: Flask) -> FlaskClient:
    """An anonymous client of ``read_app``."""
    return read_app.test_client()
