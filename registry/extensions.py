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


#: Every SQLite connection, tuned for a server: foreign keys enforced; wait up to 5 s for a writer's lock
#: instead of failing at once; synchronous=NORMAL, which in WAL mode loses no committed transaction on an
#: application crash (only, at worst, the last ones on a power loss); a 16 MiB page cache (negative: in KiB).
#: No memory map: the pages it maps count in each worker's resident memory (256 MiB of it made a worker
#: 309 MB at 100,000 practices), while the operating system's page cache keeps the file's hot pages for
#: every worker alike; the indexed reads touch few pages either way. Temporary tables stay SQLite's default,
#: files (the OS caches them): facets over 1,000,000 practices kept in memory grew a worker by 116 MB, for good,
#: and took 7.4 s instead of 4.2 s.
SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA mmap_size = 0",
    "PRAGMA cache_size = -16384",
)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite leaves foreign keys off, and its defaults suit one process, unless every connection asks."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        # Write-ahead logging lets readers go on while one connection writes. It is kept in the file, so it
        # is asked for only while the file is not in it yet (an in-memory database stays "memory").
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()
