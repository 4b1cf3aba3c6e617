"""The health probes (registry/api/health) and the answers to routes and methods that do not exist.

``/readyz`` looks at the schema through a connection of its own (``db.engine``): its tests use databases
of their own, whose committed state that connection sees.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from registry.extensions import db
from tests.conftest import make_app


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_when_migrated(own_app: Flask) -> None:
    response = own_app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready"


def test_readyz_refuses_an_unmigrated_database(fresh_database_url) -> None:
    app = make_app(fresh_database_url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert "db upgrade" in response.json["detail"]
    with app.app_context():
        db.engine.dispose()


def test_readyz_refuses_an_unreachable_database(tmp_path) -> None:
    app = make_app(f"sqlite:///{tmp_path}/missing-dir/nowhere.sqlite3")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["title"] == "Not ready"
    assert "unreachable" in response.json["detail"]


def test_unknown_route_is_a_problem(client: FlaskClient) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 404
    assert response.json["type"] == "about:blank"


def test_method_not_allowed_keeps_allow_header(client: FlaskClient) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"
    assert "GET" in response.headers["Allow"]
