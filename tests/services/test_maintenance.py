"""refresh_statistics: the planner's row counts follow a bulk load (synthetic practices)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text

from registry.extensions import db
from registry.services.maintenance import refresh_statistics
from tests.factories import insert_practices


def _counted_practices(backend: str) -> int:
    if backend == "sqlite":
        stat = db.session.scalar(text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_practices_status_deleted_at'"))
        return int(stat.split()[0])
    return int(db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'practices'")))


def test_refresh_statistics_counts_a_bulk_load(seeded_app: Flask, backend: str) -> None:
    with seeded_app.app_context():
        before = db.session.scalar(text("SELECT count(*) FROM practices"))
        insert_practices(300, prefix="synthetic-statistics")
        refresh_statistics(db.session)
        assert _counted_practices(backend) == before + 300
