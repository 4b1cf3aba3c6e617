"""The app factory and its configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from registry import create_app


def test_database_defaults_to_sqlite_in_instance_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGISTRY_DATABASE_URL", raising=False)
    app = create_app()
    expected = "sqlite:///" + str(Path(app.instance_path) / "registry.sqlite3")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_configuration_comes_from_registry_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    monkeypatch.setenv("REGISTRY_SEEDS_DIR", str(tmp_path))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/x.sqlite3"
    assert app.config["SEEDS_DIR"] == str(tmp_path)


def test_wsgi_exposes_app() -> None:
    import wsgi

    assert isinstance(wsgi.app, Flask)
