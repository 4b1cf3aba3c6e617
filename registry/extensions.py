"""Flask extensions, created unbound and attached in the app factory (``registry.parts``).

Flask-Migrate is in ``registry.migrations``: it imports alembic, which most commands do without.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine

from registry.models.base import Base

db = SQLAlchemy(model_class=Base)


def init_database(app: Flask) -> None:
    """Bind ``db`` to ``app`` (its engine is made from ``SQLALCHEMY_DATABASE_URI`` when first used)."""
    db.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite leaves foreign keys off unless every connection asks for them."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
