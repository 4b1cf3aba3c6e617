"""The bulk load path leaves the rows the write path leaves: 1,000 synthetic practices loaded both ways."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session as DbSession

from registry.extensions import db as flask_db
from registry.models import Change, Practice, Revision
from registry.models.base import Base
from registry.services import demo
from registry.services.bulk import load_practices
from registry.services.practices import PRACTICE_WITH_STATUS
from registry.services.records import RecordError, upsert

COUNT = 1000
ACTOR = "synthetic-bulk-test"
#: Columns whose values are clock readings or row ids: they legitimately differ between two loads; only
#: whether they are set is compared.
VARYING = {"id", "created_at", "updated_at", "published_at", "at", "last_used_at"}


def synthetic_inputs(db: DbSession) -> list[dict[str, Any]]:
    """The demo generator's practices, every third with synthetic sources (owned child rows)."""
    pools = demo.reference_pools(db)
    inputs = []
    for number in range(1, COUNT + 1):
        practice = demo.synthetic_practice(pools, number)
        if number % 3 == 0:
            practice["sources"] = [
                {"title": f"Synthetic source {number}", "url": f"https://example.org/synthetic/{number}",
                 "kind": "web_page", "date": "2020-01-02"},
                {"title": "Synthetic report", "kind": "report"},
            ]
        inputs.append(practice)
    return inputs


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None) | dict | list) else str(value)


def dump(db: DbSession) -> dict[str, list[str]]:
    """Every table's rows, ids of practices shown as their slugs, clock readings as whether they are set."""
    slugs = {id_: slug for id_, slug in db.execute(select(Practice.id, Practice.slug))}
    tables: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        rows = []
        for row in db.execute(select(table)).mappings():
            item = {}
            for name, value in row.items():
                if name in VARYING:
                    item[name] = value is not None
                elif name == "practice_id" or (name == "entity_id" and row.get("entity_type") == "practice"):
                    item[name] = slugs[value]
                else:
                    item[name] = _plain(value)
            rows.append(json.dumps(item, sort_keys=True))
        tables[table.name] = sorted(rows)
    if db.get_bind().dialect.name == "sqlite":
        search = db.execute(text("SELECT rowid, title, body, place FROM practice_search")).all()
    else:
        search = db.execute(text("SELECT practice_id, document::text FROM practice_search")).all()
    tables["practice_search"] = sorted(json.dumps([slugs[row[0]], *row[1:]]) for row in search)
    return tables


def test_bulk_leaves_the_rows_that_upsert_leaves(seeded_app: Flask, own_seeded_app: Flask) -> None:
    with seeded_app.app_context():
        session = flask_db.session
        inputs = synthetic_inputs(session)
        schema = PRACTICE_WITH_STATUS.schema()
        for raw in inputs:
            upsert(session, PRACTICE_WITH_STATUS, schema.load(raw), actor=ACTOR)
        session.commit()
        by_write_path = dump(session)
        flask_db.session.remove()
    with own_seeded_app.app_context():
        session = flask_db.session
        report = load_practices(session, PRACTICE_WITH_STATUS, inputs, actor=ACTOR, chunk=300)
        session.commit()
        assert (report.created, report.skipped) == (COUNT, 0)
        by_bulk = dump(session)
        placed = session.scalar(select(func.count()).select_from(Change).where(Change.position.is_(None)))
        flask_db.session.remove()
    assert placed == 0
    assert sum('"synthetic-demo-' in row for row in by_bulk["practice_sources"]) == 2 * (COUNT // 3)
    assert sum(f'"synthetic-demo-{COUNT:05d}"' in row for row in by_bulk["practice_search"]) == 1
    assert by_bulk.keys() == by_write_path.keys()
    for name in by_write_path:
        assert by_bulk[name] == by_write_path[name], name


def test_bulk_skips_existing_slugs_and_names_an_unknown_reference(db: DbSession) -> None:
    inputs = synthetic_inputs(db)[:5]
    assert load_practices(db, PRACTICE_WITH_STATUS, inputs[:2], actor=ACTOR).created == 2
    report = load_practices(db, PRACTICE_WITH_STATUS, inputs, actor=ACTOR)
    assert (report.created, report.skipped) == (3, 2)
    assert db.scalar(select(func.count()).select_from(Revision).where(Revision.actor == ACTOR)) == 5
    bad = {**synthetic_inputs(db)[5], "rights": ["synthetic-no-such-right"]}
    with pytest.raises(RecordError) as refused:
        load_practices(db, PRACTICE_WITH_STATUS, [bad], actor=ACTOR)
    assert list(refused.value.errors) == ["[0].rights"]
