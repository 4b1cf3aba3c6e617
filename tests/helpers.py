"""Helpers shared by test modules (the fixtures are in the conftest.py files): tokens, problems, requests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from werkzeug.test import TestResponse

from registry.extensions import db
from registry.models import Organisation, Practice, Session
from registry.models.base import utcnow
from registry.services.search import search_practice_ids
from registry.services.tokens import create_token, revoke_token
from tests.factories import create_practice

API = "/api/v1"
PRACTICES = f"{API}/practices"
PROBLEM = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}
REQUIRED_PROBLEM_KEYS = {"type", "title", "status"}
SYNTHETIC = "Synthetic test data: invented for the registry's tests; it describes nothing real."
LEAD = "madrid"
PRIVATE = "private, no-store"


# --- Tokens --------------------------------------------------------------------------------------------------------


def make_token(app: Flask, name: str, role: str, *, expired: bool = False, revoked: bool = False) -> str:
    """A token made through the service (as the CLI makes it); its secret."""
    with app.app_context():
        new = create_token(db.session, name, role, None)
        if expired:
            new.token.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        if revoked:
            revoke_token(db.session, name)
            db.session.commit()
        db.session.remove()
    return new.secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


class Staff:
    """The usual tokens of a test: two editors and an admin."""

    def __init__(self, app: Flask, suffix: str = "") -> None:
        self.editor = bearer(make_token(app, f"ana-editor{suffix}", "editor"))
        self.editor2 = bearer(make_token(app, f"ben-editor{suffix}", "editor"))
        self.admin = bearer(make_token(app, f"carla-admin{suffix}", "admin"))


# --- Problems ------------------------------------------------------------------------------------------------------


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    """An RFC 9457 problem with the given status: the one error shape of the API."""
    where = f"{response.request.method} {response.request.url}"
    assert response.status_code == status, f"{where}: {response.status_code} {response.get_data(as_text=True)[:500]}"
    assert response.mimetype == PROBLEM, f"{where}: content type {response.content_type}"
    body = json.loads(response.get_data(as_text=True))
    assert isinstance(body, dict), where
    assert body["status"] == response.status_code, where
    assert REQUIRED_PROBLEM_KEYS <= body.keys() <= PROBLEM_KEYS, f"{where}: keys {sorted(body)}"
    assert isinstance(body["type"], str) and body["type"], where
    assert isinstance(body["title"], str) and body["title"], where
    if "errors" in body:
        assert isinstance(body["errors"], dict) and body["errors"], where
    return body


def assert_invalid(response: TestResponse, *fields: str, status: int = 422, mentions: str | None = None) -> dict:
    """A validation problem whose ``errors`` name each of ``fields`` (and, optionally, a value)."""
    body = assert_problem(response, status)
    errors = body.get("errors") or {}
    for field in fields:
        assert field in errors, f"{field!r} not named in {errors}"
    if mentions is not None:
        assert mentions in json.dumps(errors, ensure_ascii=False), f"{mentions!r} not in {errors}"
    return errors


# --- Practices over HTTP -------------------------------------------------------------------------------------------


def new_practice(title: str = "Accueil humanitaire municipal", **extra: Any) -> dict[str, Any]:
    return {
        "title": {"fr": title}, "original_language": "fr", "lead_local_government": LEAD,
        "provenance": SYNTHETIC, **extra,
    }


def create(client: FlaskClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = client.post(PRACTICES, json=new_practice(**fields), headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def etag_of(client: FlaskClient, slug: str, headers: dict[str, str]) -> str:
    response = client.get(f"{PRACTICES}/{slug}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.headers["ETag"]


def move(client: FlaskClient, slug: str, to: str, headers: dict[str, str]) -> TestResponse:
    return client.post(f"{PRACTICES}/{slug}/transitions", json={"to": to}, headers=headers)


def list_slugs(client: FlaskClient, query: str = "", headers: dict[str, str] | None = None) -> list[str]:
    response = client.get(f"{PRACTICES}?page_size=100&{query}", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["total"] <= 100
    return [item["slug"] for item in response.json["items"]]


def facet_count(client: FlaskClient, facet: str, value: str, headers: dict[str, str] | None = None) -> int:
    response = client.get(f"{PRACTICES}?page_size=1&facets={facet}", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return next((f["count"] for f in response.json["facets"][facet] if f["value"] == value), 0)


def lead_count(client: FlaskClient) -> int:
    response = client.get(f"{API}/local-governments/{LEAD}")
    assert response.status_code == 200
    return response.json["practice_count"]


def practice_rows(app: Flask, slug_prefix: str) -> list[str]:
    with app.app_context():
        slugs = list(db.session.scalars(db.select(Practice.slug).where(Practice.slug.like(f"{slug_prefix}%"))))
        db.session.remove()
    return slugs


# --- Search -------------------------------------------------------------------------------------------------------


def search(q: str) -> list[str]:
    """Slugs of the matching practices, most relevant first."""
    hits = search_practice_ids(q, db.engine.dialect.name).subquery()
    statement = (
        select(Practice.slug).join(hits, hits.c.practice_id == Practice.id).order_by(hits.c.rank.desc(), Practice.slug)
    )
    return list(db.session.scalars(statement))



# --- The database as a whole ---------------------------------------------------------------------------------------


def dump(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order: the database's whole content."""
    with app.app_context():
        content = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
            content[table.name] = [tuple(row) for row in rows]
        db.session.remove()
        return content


def add_records() -> None:
    """The seeds hold no organisation, one session and no public practice (their six are draft stubs): give every
    collection two records or more (committed; in an app context)."""
    for n in (1, 2):
        create_practice(slug=f"contract-practice-{n}", lead_local_government="madrid",
                        title={"en": f"Contract practice {n} (synthetic test data)"})
    for n in (1, 2, 3):
        db.session.add(Organisation(
            slug=f"contract-organisation-{n}", name={"en": f"Contract organisation {n}"},
            original_language="en", kind="civil_society", country="ES" if n == 1 else None,
        ))
    db.session.add(Session(
        slug="contract-session", title={"en": "A session with no date yet"}, original_language="en",
        start_time=time(9, 0), end_time=time(10, 30),
    ))
    db.session.commit()


# --- Statements ----------------------------------------------------------------------------------------------------


#: What the test's isolation sends around each request (savepoints), not the request's own statements.
ISOLATION = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def counting(app: Flask, parameters: list[Any] | None = None) -> Iterator[list[str]]:
    """The SQL statements sent on ``app``'s engine meanwhile (but the test isolation's savepoints), and their
    parameters into ``parameters`` when given."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        if not statement.startswith(ISOLATION):
            statements.append(statement)
            if parameters is not None:
                parameters.append(params)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
