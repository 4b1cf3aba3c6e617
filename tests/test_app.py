"""The app factory, configuration and the health probes."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from registry import create_app
from tests.conftest import make_app


def test_database_defaults_to_sqlite_in_instance_folder(monkeypatch) -> None:
    monkeypatch.delenv("REGISTRY_DATABASE_URL", raising=False)
    app = create_app()
    expected = "sqlite:///" + str(Path(app.instance_path) / "registry.sqlite3")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_configuration_comes_from_registry_variables(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    monkeypatch.setenv("REGISTRY_SEEDS_DIR", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/x.sqlite3"
    assert app.config["SEEDS_DIR"] == str(tmp_path)


def test_wsgi_exposes_app() -> None:
    import wsgi

    assert isinstance(wsgi.app, Flask)


def test_healthz(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_when_migrated(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready"


def test_readyz_refuses_an_unmigrated_database(fresh_database_url) -> None:
    app = make_app(fresh_database_url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert "db upgrade" in response.json["detail"]
    with app.app_context():
        from registry.extensions import db

        db.engine.dispose()


def test_readyz_refuses_an_unreachable_database(tmp_path) -> None:
    app = make_app(f"sqlite:///{tmp_path}/missing-dir/nowhere.sqlite3")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["title"] == "Not ready"
    assert "unreachable" in response.json["detail"]


def test_unknown_route_is_a_problem(client) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["status"] == 404
    assert response.json["type"] == "about:blank"


def test_method_not_allowed_keeps_allow_header(client) -> None:
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"
    assert "GET" in response.headers["Allow"]
