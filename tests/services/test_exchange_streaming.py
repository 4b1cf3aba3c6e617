"""The exports stream: read a batch of records at a time, written as chunks, and still exactly the document and
the sheet that the former whole-registry export built in memory.

``former_json`` and ``former_csv`` are that former export, kept here as the reference: every record loaded at
once, sorted in Python, one ``json.dumps`` of the whole document (one CSV writer over every row).
"""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session as DbSession

from registry.extensions import db
from registry.models import Practice, Revision
from registry.services.demo import load_demo
from registry.services.exchange import history
from registry.services.exchange.cells import (
    BASE_LANGUAGES,
    CSV_FIELDS,
    LICENCE_COLUMN,
    MULTILINGUAL,
    neutralise,
    to_cell,
)
from registry.services.exchange.csv_export import languages, stream_csv
from registry.services.exchange.formats import FORMAT_NAME, FORMAT_VERSION, KINDS, LICENCE, PRACTICES, REVISIONS
from registry.services.exchange.json_export import (
    BATCH,
    _dumped,
    _eager,
    _exported,
    _orjson_writes_alike,
    record_batches,
    stream_json,
)
from tests.conftest import BACKENDS, SharedDatabases, isolated, layer
from tests.exchange_data import add_synthetic_records
from tests.factories import create_practice, utc

DEMO = 60  # demo practices, beside the seeds' and the synthetic ones
#: Batch sizes: a few records (so that every kind and the history cross many batch boundaries), the default.
BATCHES = (5, BATCH)


def _sorted_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def former_records(session: DbSession, key: str, kind: Any) -> list[dict[str, Any]]:
    records = sorted(session.scalars(select(kind.model).options(*_eager(kind))), key=lambda record: record.slug)
    return [_sorted_keys(_exported(kind, record)) for record in records]


def former_json(session: DbSession) -> str:
    revisions = [history._exported(revision) for revision in session.scalars(select(Revision).order_by(Revision.id))]
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "licence": LICENCE,
                "records": {key: former_records(session, key, kind) for key, kind in KINDS},
                REVISIONS: _sorted_keys(revisions)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def former_csv(session: DbSession) -> str:
    practices = former_records(session, PRACTICES, dict(KINDS)[PRACTICES])
    present = {lang for p in practices for name in MULTILINGUAL for lang in (p.get(name) or {})}
    langs = sorted(present.union(BASE_LANGUAGES))
    header: list[str] = []
    for name in CSV_FIELDS:
        if name in MULTILINGUAL:
            header.extend(f"{name}.{lang}" for lang in langs)
        else:
            header.append(name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*header, LICENCE_COLUMN])
    for practice in practices:
        cells: list[str] = []
        for name in CSV_FIELDS:
            if name in MULTILINGUAL:
                cells.extend((practice.get(name) or {}).get(lang, "") for lang in langs)
            else:
                cells.append(to_cell(name, practice.get(name)))
        writer.writerow([neutralise(cell) for cell in (*cells, LICENCE)])
    return out.getvalue()


def build() -> None:
    """The seeds plus ``DEMO`` demo practices, ``add_synthetic_records``, and a deleted practice whose evidence
    alone has Italian text (a language only one field of one row has)."""
    load_demo(db.session, DEMO)
    db.session.commit()
    add_synthetic_records()
    italian = create_practice(slug="synthetic-italian-evidence", original_language="fr",
                              evidence={"fr": "Preuves synthétiques.", "it": "Prove sintetiche."})
    italian.deleted_at = utc(2024, 2, 1)
    db.session.commit()
    db.session.remove()


@pytest.fixture(scope="module", params=BACKENDS)
def demo_layer(request: pytest.FixtureRequest, databases: SharedDatabases) -> Iterator[Flask]:
    """``build``'s registry, once per engine for the module."""
    yield from layer(request, databases, "seeded", build)


@pytest.fixture
def session(demo_layer: Flask, databases: SharedDatabases, request: pytest.FixtureRequest) -> Iterator[DbSession]:
    with isolated(databases, demo_layer, request), demo_layer.app_context():
        yield db.session
        db.session.remove()


def test_the_streamed_document_is_the_former_one_in_every_batch_size(session: DbSession) -> None:
    former = former_json(session)
    document = json.loads(former)
    assert sum(p["slug"].startswith("synthetic-demo-") for p in document["records"][PRACTICES]) == DEMO
    assert all(map(_orjson_writes_alike, document["records"][PRACTICES]))  # the fast writer writes them
    session.expunge_all()
    for batch in BATCHES:
        chunks = list(stream_json(session, batch=batch))
        assert "".join(chunks) == former, batch
        assert len(chunks) > len(KINDS) + DEMO // batch  # written as read: a chunk per batch, never one string


#: Any JSON value Python holds: every character (lone surrogates too), integers beyond 64 bits, every float.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(exclude_categories=())),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


@given(JSON_VALUES, st.sampled_from(["", "    ", "      "]))
@example({"b": [1e-05, 1e16, 1e-07, 0.1, -0.0], "a": {"z": "\x00\x1f\x7f\u2028 é", "é": 1, "e": None}}, "  ")
@example([float("nan"), float("inf"), 2**70, "\ud800"], "    ")
def test_a_record_is_written_as_json_dumps_writes_it(value: Any, indent: str) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    assert _dumped(value, indent) == indent + expected.replace("\n", "\n" + indent)


def test_the_streamed_sheet_is_the_former_one_in_every_batch_size(session: DbSession) -> None:
    former = former_csv(session)
    session.expunge_all()
    assert languages(session) == ["de", "en", "es", "fr", "it", "pt"]
    assert "evidence.it" in former.splitlines()[0]
    for batch in BATCHES:
        chunks = list(stream_csv(session, batch=batch))
        assert "".join(chunks) == former, batch
        assert len(chunks) >= DEMO // batch


def test_records_come_in_byte_order_of_their_slugs_and_their_batches_are_let_go(session: DbSession) -> None:
    slugs: list[str] = []
    for records in record_batches(session, PRACTICES, batch=20):
        assert 1 <= len(records) <= 20
        slugs.extend(record["slug"] for record in records)
        gc.collect()
        held = sum(isinstance(item, Practice) for item in session.identity_map.values())
        assert held <= 20  # the batches before were let go: the export holds one batch, whatever the count
    assert slugs == sorted(slugs) and len(slugs) == len(set(slugs)) > DEMO
    assert slugs != list(session.scalars(select(Practice.slug).order_by(Practice.id)))  # not the order written in


def test_an_empty_registry_is_the_bare_document_and_the_header(app: Flask) -> None:
    with app.app_context():
        document = "".join(stream_json(db.session))
        sheet = "".join(stream_csv(db.session))
        db.session.remove()
    expected = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "licence": LICENCE,
                "records": {key: [] for key, _ in KINDS}, REVISIONS: []}
    assert document == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert document.startswith('{\n  "format": "practice-registry",\n  "version": 2,\n  "licence": "CC BY 4.0')
    assert document.endswith('    "practices": []\n  },\n  "revisions": []\n}\n')
    header = next(csv.reader(io.StringIO(sheet)))
    assert sheet.count("\r\n") == 1 and header[:3] == ["slug", "status", "original_language"]
    assert "title.pt" in header and header[-1] == LICENCE_COLUMN


def test_the_order_is_byte_order_whatever_the_columns_collation(session: DbSession) -> None:
    """PostgreSQL sorts a column in its collation (the database's locale, unless the column says otherwise); the
    export asks for byte order. Here the slugs are given a collation that ignores hyphens, which orders
    ``synthetic-qb`` before ``synthetic-q-c``; byte order puts ``-`` (0x2D) before any letter."""
    if session.connection().dialect.name != "postgresql":  # SQLite compares text with BINARY, byte order
        return
    for slug in ("synthetic-qb", "synthetic-q-c", "synthetic-q-d", "synthetic-qc"):
        create_practice(slug=slug)
    session.execute(text("CREATE COLLATION synthetic_shifted (provider = icu, locale = 'und-u-ka-shifted')"))
    session.execute(text('ALTER TABLE practices ALTER COLUMN slug TYPE varchar(120) COLLATE "synthetic_shifted"'))
    in_locale = list(session.scalars(select(Practice.slug).where(Practice.slug.like("synthetic-q%"))
                                     .order_by(Practice.slug)))
    assert in_locale[0] == "synthetic-qb" and in_locale[-1] == "synthetic-q-d"  # hyphens ignored
    exported = [r["slug"] for records in record_batches(session, PRACTICES) for r in records
                if r["slug"].startswith("synthetic-q")]
    assert exported == ["synthetic-q-c", "synthetic-q-d", "synthetic-qb", "synthetic-qc"]
