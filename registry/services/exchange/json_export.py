"""Export of every record, as the kinds' schemas take it back: the records themselves and the JSON document.

Both are streamed: records are read from the database in slug order, ``batch`` at a time with the relations
of that batch, and the document is written as a sequence of text chunks while they are read, so that an
export of any size takes the memory of one batch (``stream_json``). ``export_json`` joins the chunks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.services.exchange.formats import (
    CHUNK,
    FORMAT_NAME,
    FORMAT_VERSION,
    KIND_BY_KEY,
    KINDS,
    LICENCE,
    REVISIONS,
)
from registry.services.exchange.history import revision_batches
from registry.services.exchange.stamps import stamp_of
from registry.services.records import Kind, Rows, snapshot
from registry.services.sessions import SESSION

#: How many records an export reads, turns into text and lets go of at a time.
BATCH = CHUNK


def _eager(kind: Kind) -> list[Any]:
    """Load every relation ``snapshot`` reads in one query per relation and batch, not one per record; of the
    records a relation names, only their slugs (all ``snapshot`` reads of them)."""
    options = []
    for relation in kind.relations.values():
        loader = selectinload(getattr(kind.model, relation.attr))
        if isinstance(relation, Rows):
            loader = loader.options(*(selectinload(getattr(relation.model, r.attr)).load_only(r.model.slug)
                                      for r in relation.refs.values()))
        else:
            loader = loader.load_only(relation.model.slug)
        options.append(loader)
    if kind is SESSION:
        options.append(selectinload(kind.model.questions))
    return options


def _exported(kind: Kind, record: Any) -> dict[str, Any]:
    data = snapshot(kind, record) | stamp_of(record)
    if kind is SESSION:  # a session carries its questions, as ``SessionInput`` takes them, with their stamps
        data["questions"] = [
            {"number": q.number, "original_language": q.original_language, "text": q.text} | stamp_of(q)
            for q in sorted(record.questions, key=lambda q: q.number)
        ]
    return data


def _ids_by_slug(db: DbSession, model: Any, batch: int) -> Iterator[list[int]]:
    """The ids of every ``model`` record in the byte order of their slugs, ``batch`` at a time, from one query
    whose rows are fetched as they are needed (a server-side cursor on PostgreSQL).

    Byte order on both engines: SQLite's BINARY collation is; PostgreSQL's columns sort in the database's
    locale, so the order says ``COLLATE "C"``. Only ids and slugs are sorted, never whole rows.
    """
    slug = model.slug
    if db.connection().dialect.name == "postgresql":
        slug = slug.collate("C")
    query = select(model.id).order_by(slug).execution_options(yield_per=batch)
    with db.scalars(query) as result:  # closed, its cursor with it, also when the export stops half-way
        for ids in result.partitions():
            yield list(ids)


def record_batches(db: DbSession, key: str, *, batch: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    """Every record of the kind ``key`` names (``networks`` ... ``practices``), by slug in byte order, as
    lists of at most ``batch`` records, each loaded with its relations when its batch is read.

    Each record is what its kind's schema takes, plus its stamps (``stamps``): ``created_at``, ``updated_at``,
    ``version``, and for practices ``published_at`` and ``deleted_at``. Practices carry their ``status``;
    soft-deleted practices are exported too, with their ``deleted_at``, so that nothing is lost. Questions
    travel inside their session: a question's slug is always ``<session-slug>-q<number>``. Left out: ids and
    ``search_name`` (this database's own), and API tokens (secrets).
    """
    kind = KIND_BY_KEY[key]
    model: Any = kind.model
    for ids in _ids_by_slug(db, model, batch):
        loaded = {record.id: record for record in db.scalars(select(model).where(model.id.in_(ids))
                                                             .options(*_eager(kind)))}
        yield [_exported(kind, loaded[id_]) for id_ in ids]


def _orjson_writes_alike(value: Any) -> bool:
    """Whether orjson writes ``value`` as ``json.dumps`` does: it does but for the floats Python writes with an
    exponent (``1e-05``, orjson ``0.00001``) or as ``NaN`` and ``Infinity`` (orjson ``null``), and for types
    other than JSON's own; what else it cannot write (integers beyond 64 bits, lone surrogates, keys that are not
    text) it refuses. A loop, not a recursion: it runs on every record."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is float:
            if not math.isfinite(item) or "e" in repr(item):
                return False
        elif not (kind is str or kind is int or kind is bool or item is None):
            return False
    return True


def _dumped(value: Any, indent: str) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)`` writes it inside a
    document, at the depth of ``indent``; object keys sorted at every level (PostgreSQL's JSONB and SQLite's
    JSON keep keys in different orders). Written by orjson where it writes the same text, several times faster."""
    text = None
    if _orjson_writes_alike(value):
        try:
            text = orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()
        except orjson.JSONEncodeError:
            pass
    if text is None:
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return indent + text.replace("\n", "\n" + indent)


def _array(batches: Iterator[list[dict[str, Any]]], depth: int) -> Iterator[str]:
    """A JSON array whose items come in batches, as ``json.dumps(..., indent=2)`` writes it ``depth`` levels
    deep: one chunk per batch."""
    indent = "  " * (depth + 1)
    started = False
    for items in batches:
        if not items:
            continue
        text = ",\n".join(_dumped(item, indent) for item in items)
        yield (",\n" if started else "[\n") + text
        started = True
    yield "\n" + "  " * depth + "]" if started else "[]"


def stream_json(db: DbSession, *, batch: int = BATCH) -> Iterator[str]:
    """The whole registry as one JSON document, in chunks: the format, its version and the licence, the records
    of every kind (``record_batches``) and the revision history (``history.revision_batches``).

    The chunks joined are ``json.dumps(document, ensure_ascii=False, indent=2) + "\\n"`` of the document
    ``{"format", "version", "licence", "records": {kind: [record, ...], ...}, "revisions": [...]}``, records and
    revisions with their keys sorted.
    """
    head = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "licence": LICENCE}
    yield "{\n" + "".join(f"  {json.dumps(name)}: {json.dumps(value, ensure_ascii=False)},\n"
                          for name, value in head.items())
    yield '  "records": {\n'
    for position, (key, _) in enumerate(KINDS):
        yield f"    {json.dumps(key)}: "
        yield from _array(record_batches(db, key, batch=batch), depth=2)
        yield ",\n" if position < len(KINDS) - 1 else "\n"
    yield f"  }},\n  {json.dumps(REVISIONS)}: "
    yield from _array(revision_batches(db, batch=batch), depth=1)
    yield "\n}\n"


def export_json(db: DbSession) -> str:
    """The whole document of ``stream_json`` as one string: for small registries (and tests)."""
    return "".join(stream_json(db))
