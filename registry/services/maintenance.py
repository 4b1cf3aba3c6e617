"""Keeping the database's planner statistics current: after the migrations, and after bulk loads."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session as DbSession


def refresh_statistics(db: DbSession) -> None:
    """Measure the tables again (``ANALYZE``), so that the planners choose the list's indexes.

    Call it after a large load (an import, the bulk loader): a planner that believes a table small may
    scan it and sort instead of reading an index in order. It runs in the caller's transaction (both
    engines allow it there) and commits nothing. On SQLite, ``PRAGMA optimize`` follows, which also
    re-analyses what the queries run so far have shown to need it.
    """
    db.execute(text("ANALYZE"))
    if db.get_bind().dialect.name == "sqlite":
        db.execute(text("PRAGMA optimize"))
