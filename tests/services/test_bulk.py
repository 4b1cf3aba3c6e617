"""The bulk load path leaves the rows the write path leaves (1,000 synthetic practices loaded both ways), the
same whichever way its inputs are prepared, and nothing at all when one input is refused."""

from __future__ import annotations

import json
from itertools import count
from typing import Any

import pytest
from flask import Flask
from marshmallow import ValidationError
from sqlalchemy import JSON, Text, cast, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as DbSession

from registry.extensions import db as flask_db
from registry.models import Change, Practice, Revision
from registry.models.base import Base
from registry.services import bulk, demo
from registry.services.bulk import PG_SEARCH_TRIGGER, load_practices
from registry.services.feed import events_of
from registry.services.practices import PRACTICE_WITH_STATUS
from registry.services.records import RecordError, upsert
from registry.services.search import search_practice_ids

COUNT = 1000
ACTOR = "synthetic-bulk-test"
#: Columns whose values are clock readings or row ids: they legitimately differ between two loads; only
#: whether they are set is compared.
VARYING = {"id", "created_at", "updated_at", "published_at", "at", "last_used_at"}
#: Searches whose answers (slugs and ranks, best first) must not depend on how the practices were loaded:
#: words of the titles, summaries and place names, a prefix, a phrase, accents folded.
SEARCHES = ("synthetic", "pratique", "logement", "madrid", "synth*", '"synthetic practice"', "practica sintetica",
            "sao paulo")


def synthetic_inputs(db: DbSession, count: int = COUNT) -> list[dict[str, Any]]:
    """The demo generator's practices, every third with synthetic sources (owned child rows)."""
    pools = demo.reference_pools(db)
    inputs = []
    for number in range(1, count + 1):
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
    """Every table's rows, ids of practices shown as their slugs, clock readings as whether they are set, JSON
    as the very text the database holds; the search index's rows; and the answers of ``SEARCHES``."""
    slugs = {id_: slug for id_, slug in db.execute(select(Practice.id, Practice.slug))}
    tables: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        columns = [cast(c, Text).label(c.name) if isinstance(c.type, JSON) else c for c in table.columns]
        rows = []
        for row in db.execute(select(*columns)).mappings():
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
    dialect = db.get_bind().dialect.name
    if dialect == "sqlite":
        search = db.execute(text("SELECT rowid, title, body, place FROM practice_search")).all()
    else:
        search = db.execute(text("SELECT practice_id, document::text FROM practice_search")).all()
    tables["practice_search"] = sorted(json.dumps([slugs[row[0]], *row[1:]]) for row in search)
    for q in SEARCHES:
        hits = search_practice_ids(q, dialect).subquery()
        found = db.execute(select(Practice.slug, hits.c.rank).join(hits, hits.c.practice_id == Practice.id)
                           .order_by(hits.c.rank.desc(), Practice.slug)).all()
        tables[f"search {q}"] = [f"{slug} {rank:.9g}" for slug, rank in found]
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
        report = load_practices(session, PRACTICE_WITH_STATUS, inputs, actor=ACTOR, chunk=300, workers=2)
        session.commit()
        assert (report.created, report.skipped) == (COUNT, 0)
        by_bulk = dump(session)
        placed = session.scalar(select(func.count()).select_from(Change).where(Change.position.is_(None)))
        flask_db.session.remove()
    assert placed == 0
    assert sum('"synthetic-demo-' in row for row in by_bulk["practice_sources"]) == 2 * (COUNT // 3)
    assert sum(f'"synthetic-demo-{COUNT:05d}"' in row for row in by_bulk["practice_search"]) == 1
    assert len(by_bulk["search synthetic"]) == COUNT and by_bulk["search madrid"]
    assert by_bulk.keys() == by_write_path.keys()
    for name in by_write_path:
        assert by_bulk[name] == by_write_path[name], name


def _loaded_and_undone(db: DbSession, inputs: Any, workers: int) -> tuple[tuple[int, int], dict[str, list[str]]]:
    """What loading ``inputs`` reports and leaves, in a SAVEPOINT then rolled back."""
    nested = db.begin_nested()
    try:
        report = load_practices(db, PRACTICE_WITH_STATUS, inputs, actor=ACTOR, chunk=200, analyze=False,
                                workers=workers)
        return (report.created, report.skipped), dump(db)
    finally:
        nested.rollback()


def test_every_way_of_preparing_leaves_the_same_rows(db: DbSession) -> None:
    """Worker processes reading a sequence by position, a worker sent the chunks of a generator, or no worker."""
    inputs = synthetic_inputs(db, 700)
    inputs.insert(450, inputs[50])  # a slug given twice, the second time in a later chunk: skipped
    here = _loaded_and_undone(db, inputs, workers=0)
    assert here[0] == (700, 1) and len(here[1]["search synthetic"]) == 700
    assert _loaded_and_undone(db, inputs, workers=2) == here
    assert _loaded_and_undone(db, iter(inputs), workers=1) == here


def trigger_enabled(db: DbSession) -> bool:
    return db.scalar(text("SELECT tgenabled FROM pg_trigger WHERE tgname = :name"), {"name": PG_SEARCH_TRIGGER}) == "O"


def counts(db: DbSession) -> dict[str, int]:
    names = ("practices", "practice_rights", "practice_sources", "revisions", "changes", "practice_search")
    return {name: db.scalar(text(f"SELECT count(*) FROM {name}")) or 0 for name in names}


@pytest.mark.parametrize("field, bad", [("start_year", "2015"), ("rights", ["synthetic-no-such-right"])])
def test_a_refused_input_in_a_late_chunk_leaves_nothing(own_seeded_app: Flask, field: str, bad: Any) -> None:
    """Three chunks are written before the fourth holds the refused input: the load raises, naming it as the
    schema (or the unknown slug) does, and the caller's rollback leaves the registry as it was."""
    with own_seeded_app.app_context():
        session = flask_db.session
        inputs = synthetic_inputs(session, 700)
        inputs[650] = {**inputs[650], field: bad}
        before = counts(session)
        with pytest.raises(RecordError) as refused:
            load_practices(session, PRACTICE_WITH_STATUS, inputs, actor=ACTOR, chunk=200, workers=2)
        if field == "start_year":
            with pytest.raises(ValidationError) as by_schema:
                PRACTICE_WITH_STATUS.schema().load(inputs[650])
            assert refused.value.errors == {f"[650].{name}": [str(problems)]
                                            for name, problems in by_schema.value.normalized_messages().items()}
        else:
            assert refused.value.errors == {"[650].rights": ["Unknown slug: 'synthetic-no-such-right'."]}
        assert counts(session)["practices"] == before["practices"] + 600  # written, not committed
        if session.get_bind().dialect.name == "postgresql":
            assert trigger_enabled(session)  # even before the rollback
        session.rollback()
        assert counts(session) == before
        if session.get_bind().dialect.name == "postgresql":
            assert trigger_enabled(session)
        flask_db.session.remove()


def test_a_database_error_in_a_late_chunk_is_raised_and_leaves_nothing(own_seeded_app: Flask,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The database's own refusal (here a feed event its CHECK refuses) is the error raised, on PostgreSQL too,
    where the load had disabled the search trigger: the rollback restores it with everything else."""
    calls = count()

    def refused_event(*args: Any) -> tuple[str, str | None]:
        staff_event, public_event = events_of(*args)
        return ("synthetic-refused" if next(calls) == 650 else staff_event), public_event

    monkeypatch.setattr(bulk, "events_of", refused_event)
    with own_seeded_app.app_context():
        session = flask_db.session
        inputs = synthetic_inputs(session, 700)
        before = counts(session)
        with pytest.raises(Exception) as failed:
            load_practices(session, PRACTICE_WITH_STATUS, inputs, actor=ACTOR, chunk=200, workers=2)
        assert isinstance(failed.value, DBAPIError | session.get_bind().dialect.loaded_dbapi.Error)
        assert "ck_changes_event_allowed" in str(failed.value)
        session.rollback()
        assert counts(session) == before
        if session.get_bind().dialect.name == "postgresql":
            assert trigger_enabled(session)
        flask_db.session.remove()


def test_bulk_skips_existing_slugs_and_names_an_unknown_reference(db: DbSession) -> None:
    inputs = synthetic_inputs(db, 5)
    assert load_practices(db, PRACTICE_WITH_STATUS, inputs[:2], actor=ACTOR).created == 2
    report = load_practices(db, PRACTICE_WITH_STATUS, inputs, actor=ACTOR)
    assert (report.created, report.skipped) == (3, 2)
    assert db.scalar(select(func.count()).select_from(Revision).where(Revision.actor == ACTOR)) == 5
    bad = {**synthetic_inputs(db, 6)[5], "rights": ["synthetic-no-such-right"]}
    with pytest.raises(RecordError) as refused:
        load_practices(db, PRACTICE_WITH_STATUS, [bad], actor=ACTOR)
    assert list(refused.value.errors) == ["[0].rights"]


def test_on_sqlite_the_load_writes_with_a_larger_page_cache_then_gives_the_former_one_back(db: DbSession) -> None:
    def cache_size() -> int:
        return int(db.execute(text("PRAGMA cache_size")).scalar_one())

    if db.get_bind().dialect.name != "sqlite":
        # PostgreSQL's buffers are the server's: the load sends no PRAGMA there (it would be a syntax error).
        assert load_practices(db, PRACTICE_WITH_STATUS, synthetic_inputs(db, 1), actor=ACTOR, workers=0).created == 1
        return
    before, seen = cache_size(), []

    def inputs() -> Any:  # read in this process (no workers), on the load's own connection
        for one in synthetic_inputs(db, 2):
            seen.append(cache_size())
            yield one

    assert load_practices(db, PRACTICE_WITH_STATUS, inputs(), actor=ACTOR, workers=0).created == 2
    assert seen and set(seen) == {-bulk.BULK_SQLITE_CACHE_KIB} and before == -16384
    assert cache_size() == before
