"""The suite's own isolation (tests/conftest.py): what a test writes is gone for the next one, whatever the order.

Both ``test_a_write_*`` tests look first for what the other writes: in either order, one of them would
fail if a test's writes outlived it.
"""

from __future__ import annotations

import sqlite3

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from registry.extensions import db
from registry.models import Network, Practice
from tests.conftest import SharedDatabase, SharedDatabases
from tests.helpers import Staff, new_practice

NETWORKS = "/api/v1/networks"


def network_slugs(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Network.slug)))


@pytest.mark.parametrize("mine, theirs", [("isolation-one", "isolation-two"), ("isolation-two", "isolation-one")])
def test_a_write_through_the_api_is_gone_for_the_next_test(seeded_app: Flask, mine: str, theirs: str) -> None:
    staff = Staff(seeded_app)
    assert not {mine, theirs} & network_slugs(seeded_app)
    body = {"slug": mine, "name": {"en": f"Isolation {mine}"}, "original_language": "en"}
    assert seeded_app.test_client().post(NETWORKS, json=body, headers=staff.admin).status_code == 201
    # The request committed: the test's own sessions see it at once, on the same connection.
    assert mine in network_slugs(seeded_app)


@pytest.mark.parametrize("slug", ["isolation-core-one", "isolation-core-two"])
def test_a_write_committed_by_the_test_is_gone_for_the_next_test(seeded_app: Flask, slug: str) -> None:
    with seeded_app.app_context():
        assert db.session.scalar(select(func.count()).where(Network.slug.like("isolation-core-%"))) == 0
        db.session.add(Network(slug=slug, name={"en": "Isolation"}, original_language="en"))
        db.session.commit()
    assert slug in network_slugs(seeded_app)


def test_a_commit_only_releases_a_savepoint(seeded_db: SharedDatabase) -> None:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        statements.append(statement.split()[0].upper())

    event.listen(seeded_db.engine, "before_cursor_execute", record)
    try:
        with seeded_db.app.app_context():
            db.session.add(Network(slug="isolation-savepoint", name={"en": "Isolation"}, original_language="en"))
            db.session.commit()
    finally:
        event.remove(seeded_db.engine, "before_cursor_execute", record)
    assert statements[0] == "SAVEPOINT" and "RELEASE" in statements and "COMMIT" not in statements, statements
    assert seeded_db.connection.in_transaction()
    dbapi = seeded_db.connection.connection.dbapi_connection
    if isinstance(dbapi, sqlite3.Connection):  # SQLAlchemy's BEGIN, not pysqlite's: the SAVEPOINT nests in it
        assert dbapi.isolation_level is None and dbapi.in_transaction


def test_the_search_triggers_fire_inside_the_transaction(seeded_app: Flask) -> None:
    staff = Staff(seeded_app)
    client = seeded_app.test_client()
    created = client.post("/api/v1/practices", json=new_practice("Quokkaesque isolation"), headers=staff.editor)
    assert created.status_code == 201, created.get_data(as_text=True)
    found = client.get("/api/v1/practices?q=quokkaesque&status=draft", headers=staff.editor).json["items"]
    assert [p["slug"] for p in found] == ["quokkaesque-isolation"]


def test_a_shared_app_refuses_to_work_outside_a_test_transaction(
    backend: str, databases: SharedDatabases
) -> None:
    shared = databases.get(backend, "seeded")
    with shared.app.app_context(), pytest.raises(RuntimeError, match="outside of a test's transaction"):
        db.session.scalar(select(func.count()).select_from(Practice))


def test_a_layer_refuses_a_test_that_did_not_ask_for_it(
    backend: str, databases: SharedDatabases, request: pytest.FixtureRequest
) -> None:
    shared = databases.get(backend, "migrated")
    with shared.layer("some_module_fixture"), pytest.raises(RuntimeError, match="without asking for it"):
        with shared.transaction(request):
            pass
    assert not shared.connection.in_transaction()
