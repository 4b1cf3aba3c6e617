"""The Practice Registry: a public API of what local governments do for migrants' rights."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from registry import cli, models  # noqa: F401  (models registers the tables)
from registry.api import init_api
from registry.config import from_environment
from registry.extensions import db, migrate
from registry.problems import register_problem_handlers

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory: configuration from ``REGISTRY_*`` variables, or ``test_config``."""

    app = Flask(__name__, instance_relative_config=True)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep fields in the order written
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # UTF-8 text as it is: "São Paulo"
    app.config.from_mapping(from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    init_api(app)
    register_problem_handlers(app)
    cli.register(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite leaves foreign keys off unless every connection asks for them."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
