"""The bulk load path: many new practices at once, leaving the rows the write path would leave (no HTTP here).

``records.upsert`` writes one practice in ~20 ms: it reads the record back, compares, resolves every slug
with a query, flushes the ORM unit of work and writes its revision and feed event one by one. Loading
100,000 synthetic practices for a benchmark that way takes over half an hour. ``load_practices`` writes
the same rows with core INSERTs, a chunk of practices at a time, inside the caller's transaction:

- each input is validated by the kind's own schema (``PracticeSeedInput``), exactly as the write path does;
- every slug is resolved against maps of the reference records read once (an unknown one is a
  ``RecordError`` naming ``[position].field``, as ``upsert`` names the field);
- per chunk: the practices (``INSERT ... RETURNING id``), the link tables of each ``RefList``, the owned
  ``Rows`` (sources), one ``create`` revision per practice with the changes ``records.creation_changes``
  gives, and one changes-feed event per practice (``feed.events_of``); the kind's ``after_write`` sets
  derived columns (a published practice's ``published_at``) on the row before it is written;
- the search index is filled by the database's own triggers (migration 0002), as for any insert;
- the feed positions are given at the end (``feed.place``), after every committed one, and the
  statistics refreshed (``ANALYZE``), so the planner sees the new table sizes.

What differs from the write path, by design: it only creates. A practice whose slug already exists is left
as it is (counted ``skipped``), never updated: use ``upsert`` for that. Times are one clock reading per load,
each practice one microsecond after the one before (so newest-first order is load order, as it would be).
Nothing is committed: the caller owns the transaction (all or nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from types import SimpleNamespace
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session as DbSession

from registry.models import Change, Revision
from registry.models.base import utcnow
from registry.services.feed import events_of, place
from registry.services.records import Kind, RecordError, Ref, RefList, Rows, creation_changes

#: Practices written per round of INSERTs: large enough to amortise a statement, small enough for memory.
CHUNK = 2000


@dataclass(frozen=True)
class BulkReport:
    created: int
    skipped: int


@dataclass(frozen=True)
class _Plan:
    """How the kind's relations land in tables: looked up once from the model's mapper."""

    table: Table
    #: Ref field -> (foreign key column, slug -> id of the target records).
    refs: dict[str, tuple[str, dict[str, int]]]
    #: RefList field -> (link table, its column naming the record, its column naming the target, slug -> id).
    links: dict[str, tuple[Table, str, str, dict[str, int]]]
    #: Rows field -> (child table, its column naming the record, the relation, per ref: (column, slug -> id)).
    rows: dict[str, tuple[Table, str, Rows, dict[str, tuple[str, dict[str, int]]]]]


def _ids(db: DbSession, model: type) -> dict[str, int]:
    return {slug: id_ for slug, id_ in db.execute(select(model.slug, model.id))}


def _plan(db: DbSession, kind: Kind) -> _Plan:
    mapper = kind.model.__mapper__
    refs, links, rows = {}, {}, {}
    for name, relation in kind.relations.items():
        prop = mapper.relationships[relation.attr]
        if isinstance(relation, Ref):
            (column,) = prop.local_columns
            refs[name] = (column.name, _ids(db, relation.model))
        elif isinstance(relation, RefList):
            ((_, own),) = prop.synchronize_pairs
            ((_, target),) = prop.secondary_synchronize_pairs
            links[name] = (prop.secondary, own.name, target.name, _ids(db, relation.model))
        else:
            ((_, own),) = prop.synchronize_pairs
            child_refs = {}
            for ref_name, ref in relation.refs.items():
                (column,) = prop.mapper.relationships[ref.attr].local_columns
                child_refs[ref_name] = (column.name, _ids(db, ref.model))
            rows[name] = (prop.mapper.local_table, own.name, relation, child_refs)
    return _Plan(kind.model.__table__, refs, links, rows)


def _resolve(ids: dict[str, int], slug: str, where: str) -> int:
    try:
        return ids[slug]
    except KeyError:
        raise RecordError({where: [f"Unknown slug: {slug!r}."]}) from None


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _validated(schema: Schema, raw: dict[str, Any], position: int) -> dict[str, Any]:
    try:
        return schema.load(raw)
    except ValidationError as error:
        messages = error.normalized_messages()
        raise RecordError({f"[{position}].{field}": [str(problems)] for field, problems in messages.items()}) from None


def load_practices(
    db: DbSession, kind: Kind, inputs: Iterable[dict[str, Any]], *, actor: str, chunk: int = CHUNK,
    analyze: bool = True,
) -> BulkReport:
    """Create the records of ``inputs`` (raw input of ``kind``, validated here) whose slugs are new, with
    their link rows, child rows, revisions and feed events, in the caller's transaction."""
    plan = _plan(db, kind)
    existing = set(db.scalars(select(kind.model.slug)))
    schema = kind.schema()
    start = utcnow()
    created = skipped = 0
    for batch in _chunks(enumerate(inputs), chunk):
        records = []
        for position, raw in batch:
            data = _validated(schema, raw, position)
            if data["slug"] in existing:
                skipped += 1
                continue
            existing.add(data["slug"])
            records.append((position, data))
        if records:
            _write(db, kind, plan, records, start, actor)
            created += len(records)
    if created:
        place(db)
    if analyze:
        db.execute(text("ANALYZE"))
    return BulkReport(created, skipped)


def _record_row(db: DbSession, kind: Kind, plan: _Plan, position: int, data: dict[str, Any],
                at: datetime) -> dict[str, Any]:
    """The record's row as the write path leaves it: its columns, its references as ids, its stamps, and
    what ``after_write`` derives."""
    row: dict[str, Any] = {c.name: None for c in plan.table.columns if c.name != "id"}
    row.update({name: data[name] for name in kind.columns if name in data})
    for name, (column, ids) in plan.refs.items():
        if data.get(name) is not None:
            row[column] = _resolve(ids, data[name], f"[{position}].{name}")
    row.update(created_at=at, updated_at=at, version=1)
    if kind.after_write:
        record = SimpleNamespace(**row)
        kind.after_write(db, record, data)
        row = {name: getattr(record, name) for name in row}
    return row


def _write(db: DbSession, kind: Kind, plan: _Plan, records: list[tuple[int, dict[str, Any]]], start: datetime,
           actor: str) -> None:
    stamps = [start + timedelta(microseconds=position) for position, _ in records]
    rows = [_record_row(db, kind, plan, position, data, at) for (position, data), at in zip(records, stamps,
                                                                                           strict=True)]
    table = plan.table
    ids = list(db.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())
    links: dict[str, list[dict[str, Any]]] = {name: [] for name in plan.links}
    children: dict[str, list[dict[str, Any]]] = {name: [] for name in plan.rows}
    revisions, events = [], []
    for (position, data), record_id, row, at in zip(records, ids, rows, stamps, strict=True):
        for name, (_, own, target, ids_by_slug) in plan.links.items():
            links[name] += [{own: record_id, target: _resolve(ids_by_slug, slug, f"[{position}].{name}")}
                            for slug in dict.fromkeys(data.get(name) or [])]
        for name, (_, own, relation, refs) in plan.rows.items():
            for index, item in enumerate(data.get(name) or []):
                child = {c: item.get(c) for c in relation.columns if c not in relation.refs}
                for ref_name, (column, ids_by_slug) in refs.items():
                    child[column] = _resolve(ids_by_slug, item[ref_name], f"[{position}].{name}[{index}].{ref_name}")
                children[name].append({own: record_id, "position": index, **child})
        change = creation_changes(kind, data)
        revisions.append({"entity_type": kind.name, "entity_id": record_id, "entity_slug": data["slug"],
                          "action": "create", "actor": actor, "token_id": None, "changes": change, "note": None,
                          "created_at": at})
        staff_event, public_event = events_of(kind.name, SimpleNamespace(**row), "create", change)
        events.append({"kind": kind.name, "slug": data["slug"], "event": staff_event, "public_event": public_event,
                       "version": 1, "at": at, "position": None})
    for name, values in links.items():
        if values:
            db.execute(insert(plan.links[name][0]), values)
    for name, values in children.items():
        if values:
            db.execute(insert(plan.rows[name][0]), values)
    db.execute(insert(Revision.__table__), revisions)
    db.execute(insert(Change.__table__), events)
