"""The bulk load path: many new practices at once, leaving the rows the write path would leave (no HTTP here).

``records.upsert`` writes one practice in ~20 ms: it reads the record back, compares, resolves every slug
with a query, flushes the ORM unit of work and writes its revision and feed event one by one. Loading
100,000 synthetic practices for a benchmark that way takes over half an hour. ``load_practices`` writes
the same rows, a chunk of practices at a time, inside the caller's transaction:

- each input is validated by the kind's own schema (``PracticeSeedInput``), exactly as the write path does;
- every slug is resolved against maps of the reference records read once (an unknown one is a
  ``RecordError`` naming ``[position].field``, as ``upsert`` names the field);
- per chunk: the practices, the link tables of each ``RefList``, the owned ``Rows`` (sources), one ``create``
  revision per practice with the changes ``records.creation_changes`` gives, and one changes-feed event per
  practice (``feed.events_of``); the kind's ``after_write`` sets derived columns (a published practice's
  ``published_at``) on the row before it is written;
- the search index: on SQLite by the database's own insert trigger (migration 0002), as for any insert; on
  PostgreSQL by the same document function that trigger calls (``practice_search_document``), once per chunk
  for all its practices, the trigger being disabled until the load ends (see below);
- the feed positions are given at the end (``feed.place``), after every committed one, and the
  statistics refreshed (``ANALYZE``), so the planner sees the new table sizes.

How it is fast. 100,000 demo practices took 5 min 34 s on SQLite (334 s of CPU, against 8.7 s for 10,000:
quadratic). What changed, in the order it mattered:

- **One INSERT per chunk for the practices, never one per row.** SQLite's full-text index (FTS5, fed by
  the insert trigger) does work at the end of every statement that grows with the index: one-row INSERTs of
  2,000 practices cost 0.35 s of CPU into an empty index and 2.8 s past 28,000 practices (0.13 to 0.19 s
  without the trigger). Asking for the new ids in input order (``sort_by_parameter_order``) had made
  SQLAlchemy send one INSERT per row on SQLite; the ids are now read back with their (unique) slugs from
  multi-row INSERTs, whose cost per row stays flat. The SQLite trigger stays: filling the index by one
  ``INSERT ... SELECT`` instead would save ~1.6 s of CPU per 100k, too little to copy the index's definition
  out of the migration that owns it.
- **Preparing runs beside writing** (``services.bulk_inputs``): validation (marshmallow, kept: ~0.2 ms of
  CPU per practice, a third of the whole), slug resolution and all the JSON the rows hold run in a forked
  worker process, a chunk or two ahead of the chunk being written; this process only writes. Every input
  still goes through the kind's ``schema.load``; a refused one is reported by position just the same, the
  first in input order.
- **Rows go to the driver as the column types make them** (``_insert_many``): by executemany on SQLite, by
  ``COPY`` on PostgreSQL (and the practices too, their ids taken from the table's sequence first: psycopg's
  parsing of a multi-row INSERT's thousands of parameters cost more client CPU than the rest of the load).
- **PostgreSQL's search index by chunk.** The row trigger costs ~1.2 ms per practice (per row: a PL/pgSQL
  call, an upsert, a GIN insertion), about twice the set-based ``INSERT ... SELECT`` of the same documents.
  So on PostgreSQL the load disables that trigger (``ALTER TABLE ... DISABLE TRIGGER``, transactional; it
  holds a lock that makes other writers of practices wait for the load's commit, readers not) and re-enables
  it before returning, or when anything but a database error (after which the transaction can only be
  rolled back, which undoes the DISABLE) interrupts it.

What differs from the write path, by design: it only creates. A practice whose slug already exists is left
as it is (counted ``skipped``), never updated: use ``upsert`` for that. Times are one clock reading per load,
each practice one microsecond after the one before (so newest-first order is load order, as it would be).
Nothing is committed: the caller owns the transaction (all or nothing: a refused input anywhere raises, and
the caller's rollback leaves nothing of the chunks already written).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import JSON, BindParameter, Table, Text, bindparam, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session as DbSession

from registry.models import Change, Practice, Revision
from registry.models.base import utcnow
from registry.services.bulk_inputs import (
    Inputs,
    Lookups,
    Prepared,
    Preparing,
    Serializer,
    default_workers,
    prepared_chunks,
)
from registry.services.feed import events_of, place
from registry.services.records import Kind, RecordError, Ref, RefList

#: Practices written per round of INSERTs: large enough to amortise a statement, small enough for memory.
CHUNK = 2000

#: PostgreSQL's search index of practices (migration 0002): the row trigger, and the rows it would add for
#: many practices in one statement, by the document function it calls.
PG_SEARCH_TRIGGER = "practice_search_refresh"
PG_SEARCH_ROWS = text(
    "INSERT INTO practice_search (practice_id, document) SELECT id, practice_search_document(title, summary,"
    " description, lead_local_government_id) FROM practices WHERE id = ANY(:ids)"
)


@dataclass(frozen=True)
class BulkReport:
    created: int
    skipped: int


@dataclass(frozen=True)
class _Plan:
    """How the kind's relations land in tables: looked up once from the model's mapper."""

    table: Table
    #: Every column of the record's table but its id, as None: what a column the input leaves out holds.
    blank: dict[str, None]
    #: RefList field -> (link table, its column naming the record, its column naming the target).
    links: dict[str, tuple[Table, str, str]]
    #: Rows field -> (child table, its column naming the record).
    rows: dict[str, tuple[Table, str]]
    lookups: Lookups
    #: The JSON columns of the record's table, and whether each stores None as NULL.
    json_columns: dict[str, bool]


def _ids(db: DbSession, model: type) -> dict[str, int]:
    return {slug: id_ for slug, id_ in db.execute(select(model.slug, model.id))}


def _plan(db: DbSession, kind: Kind) -> _Plan:
    mapper = kind.model.__mapper__
    links: dict[str, tuple[Table, str, str]] = {}
    rows: dict[str, tuple[Table, str]] = {}
    lookups = Lookups({}, {}, {})
    for name, relation in kind.relations.items():
        prop = mapper.relationships[relation.attr]
        if isinstance(relation, Ref):
            (column,) = prop.local_columns
            lookups.refs[name] = (column.name, _ids(db, relation.model))
        elif isinstance(relation, RefList):
            ((_, own),) = prop.synchronize_pairs
            ((_, target),) = prop.secondary_synchronize_pairs
            links[name] = (prop.secondary, own.name, target.name)
            lookups.links[name] = _ids(db, relation.model)
        else:
            ((_, own),) = prop.synchronize_pairs
            rows[name] = (prop.mapper.local_table, own.name)
            lookups.rows[name] = {
                ref_name: (next(iter(prop.mapper.relationships[ref.attr].local_columns)).name, _ids(db, ref.model))
                for ref_name, ref in relation.refs.items()
            }
    table = kind.model.__table__
    json_columns = {c.name: c.type.none_as_null for c in table.columns if isinstance(c.type, JSON)}
    return _Plan(table, {c.name: None for c in table.columns if c.name != "id"}, links, rows, lookups, json_columns)


def load_practices(
    db: DbSession, kind: Kind, inputs: Inputs, *, actor: str, chunk: int = CHUNK,
    analyze: bool = True, workers: int | None = None,
) -> BulkReport:
    """Create the records of ``inputs`` (raw input of ``kind``, validated here) whose slugs are new, with
    their link rows, child rows, revisions and feed events, in the caller's transaction.

    ``workers``: processes that prepare inputs while this one writes (default
    ``bulk_inputs.default_workers()``; 0: none, everything here)."""
    plan = _plan(db, kind)
    existing = set(db.scalars(select(kind.model.slug)))
    start = utcnow()
    created = skipped = 0
    preparing = Preparing(kind, plan.lookups, plan.json_columns, _json_serializer(db))
    workers = default_workers() if workers is None else workers
    with _search_by_chunk(db, kind) as search_by_chunk, _large_page_cache(db), \
            closing(prepared_chunks(preparing, inputs, chunk, workers)) as batches:
        for batch in batches:
            records = []
            for prepared in batch:
                if prepared.invalid:
                    raise RecordError(prepared.invalid)
                if prepared.slug in existing:
                    skipped += 1
                    continue
                if prepared.unknown:
                    raise RecordError(prepared.unknown)
                existing.add(prepared.slug)
                records.append(prepared)
            if records:
                _write(db, kind, preparing, plan, records, start, actor, search_by_chunk)
                created += len(records)
    if created:
        place(db)
    if analyze:
        db.execute(text("ANALYZE"))
    return BulkReport(created, skipped)


#: SQLite's page cache while a bulk load writes (negative: KiB): the indexes it fills soon outgrow the 16 MiB a
#: server's connection keeps (``registry.extensions.SQLITE_PRAGMAS``), and each insert would then read its pages.
BULK_SQLITE_CACHE_KIB = 262144


@contextmanager
def _large_page_cache(db: DbSession) -> Iterator[None]:
    """A larger SQLite page cache on the load's connection while it writes, the former one after."""
    if db.get_bind().dialect.name != "sqlite":
        yield
        return
    before = int(db.execute(text("PRAGMA cache_size")).scalar_one())
    db.execute(text(f"PRAGMA cache_size = -{BULK_SQLITE_CACHE_KIB}"))
    try:
        yield
    finally:
        db.execute(text(f"PRAGMA cache_size = {before}"))


@contextmanager
def _search_by_chunk(db: DbSession, kind: Kind) -> Iterator[bool]:
    """Whether the load fills PostgreSQL's search index itself, once per chunk, with the row trigger disabled
    meanwhile (practices on PostgreSQL only; see the module's docstring)."""
    if kind.model is not Practice or db.get_bind().dialect.name != "postgresql":
        yield False
        return
    # A database error, through SQLAlchemy or straight from the driver (COPY), aborts the transaction: it can
    # only be rolled back, which re-enables the trigger.
    aborted = (DBAPIError, db.get_bind().dialect.loaded_dbapi.Error)
    db.execute(text(f"ALTER TABLE practices DISABLE TRIGGER {PG_SEARCH_TRIGGER}"))
    try:
        yield True
    except aborted:
        raise
    except BaseException:
        db.execute(text(f"ALTER TABLE practices ENABLE TRIGGER {PG_SEARCH_TRIGGER}"))
        raise
    db.execute(text(f"ALTER TABLE practices ENABLE TRIGGER {PG_SEARCH_TRIGGER}"))


def _record_row(db: DbSession, kind: Kind, preparing: Preparing, plan: _Plan, prepared: Prepared,
                at: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    """The record's row as the write path leaves it: its columns, its references as ids, its stamps, and
    what ``after_write`` derives; and the same with its JSON columns as text, to write."""
    row = {**plan.blank, **prepared.row, "created_at": at, "updated_at": at, "version": 1}
    texts = prepared.json
    if kind.after_write:
        record = SimpleNamespace(**row)
        kind.after_write(db, record, prepared.data)
        written = {name: getattr(record, name) for name in row}
        # A JSON column after_write changed is written as it made it.
        texts = {name: text if written[name] is row[name]
                 else preparing.json_text(written[name], plan.json_columns[name]) for name, text in texts.items()}
        row = written
    return row, {**row, **texts}


def _write(db: DbSession, kind: Kind, preparing: Preparing, plan: _Plan, records: list[Prepared], start: datetime,
           actor: str, search_by_chunk: bool) -> None:
    stamps = [start + timedelta(microseconds=prepared.position) for prepared in records]
    rows, written = zip(*(_record_row(db, kind, preparing, plan, prepared, at)
                          for prepared, at in zip(records, stamps, strict=True)), strict=True)
    ids_by_slug = _insert_records(db, plan, list(written))
    if search_by_chunk:
        db.execute(PG_SEARCH_ROWS, {"ids": list(ids_by_slug.values())})
    links: dict[str, list[tuple[int, int]]] = {name: [] for name in plan.links}
    children: dict[str, list[tuple[Any, ...]]] = {name: [] for name in plan.rows}
    revisions, events = [], []
    for prepared, row, at in zip(records, rows, stamps, strict=True):
        record_id, slug = ids_by_slug[prepared.slug], prepared.slug
        for name in plan.links:
            links[name] += [(record_id, target_id) for target_id in prepared.links[name]]
        for name in plan.rows:
            children[name] += [(record_id, *child.values()) for child in prepared.children[name]]
        revisions.append((kind.name, record_id, slug, "create", actor, None, prepared.changes, None, at))
        # A creation's events follow from the record as written (before it there was nothing to compare),
        # so the changes, which stay JSON text (``Prepared.changes``), are not needed as dicts here.
        staff_event, public_event = events_of(kind.name, SimpleNamespace(**row), "create", {})
        events.append((kind.name, slug, staff_event, public_event, 1, at, None))
    for name, (link_table, own, target) in plan.links.items():
        _insert_many(db, link_table, (own, target), links[name])
    for name, (child_table, own) in plan.rows.items():
        if children[name]:
            first = next(child for prepared in records for child in prepared.children[name])
            _insert_many(db, child_table, (own, *first), children[name])
    _insert_many(db, Revision.__table__, REVISION_COLUMNS, revisions, as_text={"changes"})
    _insert_many(db, Change.__table__, CHANGE_COLUMNS, events)


def _insert_records(db: DbSession, plan: _Plan, rows: list[dict[str, Any]]) -> dict[str, int]:
    """INSERT the records' rows (their JSON columns as text); slug -> id of each.

    SQLite: one multi-row ``INSERT ... RETURNING slug, id`` per chunk, read back by slug rather than in
    parameter order (SQLAlchemy keeps that order on SQLite only by sending one INSERT per row, which the
    full-text index makes grow with its size: see the module's docstring). PostgreSQL: the ids taken from the
    table's sequence, as its default would take them, and the rows sent by ``COPY`` (``_insert_many``), whose
    client side costs a fraction of psycopg's parsing of a multi-row INSERT's thousands of parameters.
    """
    table = plan.table
    if db.get_bind().dialect.name != "postgresql":
        statement = insert(table).values(_json_as_text(plan.json_columns))
        return dict(db.execute(statement.returning(table.c.slug, table.c.id), rows).all())
    ids = db.scalars(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
                     {"table": table.name, "count": len(rows)}).all()
    columns = ("id", *rows[0])
    _insert_many(db, table, columns, [(id_, *row.values()) for id_, row in zip(ids, rows, strict=True)],
                 as_text=plan.json_columns)
    return {row["slug"]: id_ for id_, row in zip(ids, rows, strict=True)}


#: The columns of the revisions and feed events ``_write`` gives, in its order.
REVISION_COLUMNS = ("entity_type", "entity_id", "entity_slug", "action", "actor", "token_id", "changes", "note",
                    "created_at")
CHANGE_COLUMNS = ("kind", "slug", "event", "public_event", "version", "at", "position")


def _insert_many(db: DbSession, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]],
                 as_text: Collection[str] = ()) -> None:
    """INSERT ``rows`` (tuples of ``columns``): by the driver's executemany, or PostgreSQL's ``COPY``. Each value
    is turned into what the driver is given by its column type's own bind processor, as SQLAlchemy would
    (``as_text``: JSON columns already given as their text). Without SQLAlchemy's per-row parameter handling,
    and with the record's JSON made by the workers, the writer's CPU per chunk fell by a quarter on SQLite."""
    if not rows:
        return
    dialect = db.get_bind().dialect
    processors = [(index, processor) for index, name in enumerate(columns) if name not in as_text
                  if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    if processors:
        rows = [_processed(row, processors) for row in rows]
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    if dialect.name == "postgresql":
        with db.connection().connection.dbapi_connection.cursor() as cursor:
            with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
    db.connection().exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows)


def _processed(row: tuple[Any, ...], processors: list[tuple[int, Callable[[Any], Any]]]) -> tuple[Any, ...]:
    values = list(row)
    for index, processor in processors:
        values[index] = processor(values[index])
    return tuple(values)


def _json_serializer(db: DbSession) -> Serializer:
    """What the JSON column type turns a value into on this engine (``sqltypes.JSON`` and psycopg's ``Json``
    both use the engine's ``json_serializer``, else ``json.dumps``), so the text written is the same."""
    return getattr(db.get_bind().dialect, "_json_serializer", None) or json.dumps


def _json_as_text(names: Iterable[str]) -> dict[str, BindParameter[str]]:
    """Parameters for SQLite's JSON columns given as their JSON text (``_json_serializer``), which it stores as
    it is."""
    return {name: bindparam(name, type_=Text) for name in names}
