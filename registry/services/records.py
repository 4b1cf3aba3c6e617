"""The one write path: create or update any record from validated input, with its revision.

A *kind* describes how a validated input maps onto a model: which fields are columns, which
name other records by slug, which are owned child rows. ``upsert`` compares the proposed
values with what is stored and writes only what differs, so loading the same data twice
changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import Any, Literal

from marshmallow import Schema
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import SessionTransaction

from registry.models import Revision
from registry.models.base import utcnow
from registry.services.feed import record_change


class RecordError(Exception):
    """Input that validated but cannot be written (an unknown slug, say), named per field."""

    def __init__(self, errors: Mapping[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class Ref:
    """A field holding the slug of one other record, stored in relationship ``attr``."""

    attr: str
    model: type


@dataclass(frozen=True)
class RefList:
    """A field holding slugs of other records, stored in the collection ``attr``."""

    attr: str
    model: type
    ordered: bool = False


@dataclass(frozen=True)
class Rows:
    """Child rows owned by the record and replaced as a whole when they change."""

    attr: str
    model: type
    columns: tuple[str, ...]
    refs: Mapping[str, Ref] = field(default_factory=dict)


Relation = Ref | RefList | Rows


def original_text(field: str) -> Callable[[dict[str, Any]], str]:
    """Slug source: a multilingual field, in the record's original language."""
    def source(data: dict[str, Any]) -> str:
        text = data.get(field) or {}
        return text.get(data.get("original_language")) or next(iter(text.values()), "")

    return source


@dataclass(frozen=True)
class Kind:
    """One kind of record: its model, the input schema every write of it passes, and how that input
    maps onto the model.

    The schema's fields are the kind's field list, declared once: each is a column of the same name,
    unless ``relations`` says it names other records (or owns child rows), or ``stored_apart`` says
    another write stores it (a session's questions are records of their own).
    """

    name: str
    model: type
    schema: type[Schema]
    #: What the record is called in messages ("rights category").
    noun: str
    relations: Mapping[str, Relation] = field(default_factory=dict)
    #: Where a new record's slug comes from when the client gives none.
    slug_from: Callable[[dict[str, Any]], str] | None = None
    #: Groups of fields whose values no two records may share (beyond the slug), checked before
    #: writing so that the client hears which field clashes rather than a bare database refusal.
    unique: tuple[tuple[str, ...], ...] = ()
    #: Called after a write with the record and the validated input (to set derived fields).
    after_write: Callable[[DbSession, Any, dict[str, Any]], None] | None = None
    #: Called with a stored record and the whole validated record an update would make of it, for rules
    #: that depend on what the input does not carry (a practice's status); raises ``EditorialError``.
    check_update: Callable[[Any, dict[str, Any]], None] | None = None
    stored_apart: tuple[str, ...] = ()

    @cached_property
    def columns(self) -> tuple[str, ...]:
        return tuple(
            name for name in self.schema().fields if name not in self.relations and name not in self.stored_apart
        )

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """Every field the kind writes: its columns, then its relations."""
        return (*self.columns, *self.relations)


@dataclass(frozen=True)
class WriteResult:
    record: Any
    action: Literal["created", "updated", "unchanged"]
    changes: dict[str, dict[str, Any]]


def to_json(value: Any) -> Any:
    """The JSON form under which values are compared and kept in revisions."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


def _stored(kind: Kind, record: Any, name: str) -> Any:
    relation = kind.relations.get(name)
    if relation is None:
        return to_json(getattr(record, name))
    if isinstance(relation, Ref):
        target = getattr(record, relation.attr)
        return None if target is None else target.slug
    if isinstance(relation, RefList):
        slugs = [t.slug for t in getattr(record, relation.attr)]
        return slugs if relation.ordered else sorted(slugs)
    return [_row_json(relation, row) for row in getattr(record, relation.attr)]


def _row_json(relation: Rows, row: Any) -> dict[str, Any]:
    out = {}
    for name in relation.columns:
        if name in relation.refs:
            target = getattr(row, relation.refs[name].attr)
            out[name] = None if target is None else target.slug
        else:
            out[name] = to_json(getattr(row, name))
    return out


def _proposed(kind: Kind, name: str, value: Any) -> Any:
    relation = kind.relations.get(name)
    if isinstance(relation, RefList) and not relation.ordered:
        return sorted(set(value or []))
    if isinstance(relation, Rows):
        return [{c: to_json(row.get(c)) for c in relation.columns} for row in value or []]
    return to_json(value)


def creation_changes(kind: Kind, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What the revision of a record created from ``data`` (validated input) records: every field it holds,
    from nothing to its JSON value. ``upsert`` and the bulk loader (``services.bulk``) both use it."""
    return {n: {"old": None, "new": _proposed(kind, n, data[n])} for n in kind.fields if n in data}


def snapshot(kind: Kind, record: Any) -> dict[str, Any]:
    """Every writable field of a record in its JSON form."""
    return {name: _stored(kind, record, name) for name in kind.fields}


def savepoint(db: DbSession) -> SessionTransaction:
    """A SAVEPOINT inside the caller's transaction, to undo one write without undoing the others.

    pysqlite opens a transaction only before a data-changing statement, so a SAVEPOINT issued first
    would itself open the transaction, and releasing it would commit. Opening the transaction
    explicitly keeps the release a release: the caller's commit or rollback decides. It is opened
    IMMEDIATE, taking SQLite's write lock at once: a deferred transaction that read first and wrote
    second would deadlock with another writer (each waiting on the other's lock) instead of waiting
    its turn and then seeing what the other wrote.
    """
    connection = db.connection()
    dbapi = connection.connection.dbapi_connection
    if isinstance(dbapi, sqlite3.Connection) and not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    return db.begin_nested()


def _lookup(db: DbSession, model: type, slug: str) -> Any:
    return db.scalar(select(model).where(model.slug == slug))


def _resolve(db: DbSession, model: type, name: str, slugs: list[str]) -> list[Any]:
    found = {r.slug: r for r in db.scalars(select(model).where(model.slug.in_(slugs)))}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise RecordError({name: [f"Unknown slug: {', '.join(repr(s) for s in missing)}."]})
    return [found[s] for s in slugs]


def _resolved(db: DbSession, kind: Kind, data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The attribute values that set ``names`` from ``data``: every slug resolved to its record
    (``RecordError`` naming the field of an unknown one), nothing set yet."""
    values: dict[str, Any] = {}
    for name in names:
        value = data[name]
        relation = kind.relations.get(name)
        if relation is None:
            values[name] = value
        elif isinstance(relation, Ref):
            values[relation.attr] = None if value is None else _resolve(db, relation.model, name, [value])[0]
        elif isinstance(relation, RefList):
            values[relation.attr] = _resolve(db, relation.model, name, list(dict.fromkeys(value or [])))
        else:
            rows = []
            for position, row in enumerate(value or []):
                attrs = {c: row.get(c) for c in relation.columns if c not in relation.refs}
                for ref_name, ref in relation.refs.items():
                    attrs[ref.attr] = _resolve(db, ref.model, f"{name}[{position}].{ref_name}", [row[ref_name]])[0]
                rows.append(relation.model(position=position, **attrs))
            values[relation.attr] = rows
    return values


def check_references(db: DbSession, kind: Kind, data: dict[str, Any], names: list[str]) -> None:
    """``RecordError`` unless every record that ``names`` of ``data`` refer to exists; writes nothing."""
    _resolved(db, kind, data, names)


def _apply(db: DbSession, kind: Kind, record: Any, data: dict[str, Any], names: list[str]) -> None:
    """Set ``names`` from ``data``. Every slug is resolved before anything is set, so an unknown one
    (``RecordError``) leaves the record exactly as it was."""
    for attr, value in _resolved(db, kind, data, names).items():
        setattr(record, attr, value)


def differences(kind: Kind, before: dict[str, Any], data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each field of ``data`` (validated input) whose value differs from ``before`` (a snapshot), with
    its old and new JSON values: what a revision records."""
    return {
        n: {"old": before.get(n), "new": _proposed(kind, n, data[n])}
        for n in kind.fields
        if n in data and before.get(n) != _proposed(kind, n, data[n])
    }


def record_revision(
    db: DbSession, kind_name: str, record: Any, action: str, actor: str,
    changes: dict[str, Any], *, token_id: int | None = None, note: str | None = None,
) -> Revision:
    """The revision of one write, and the changes feed's event for it (``feed.record_change``)."""
    revision = Revision(
        entity_type=kind_name, entity_id=record.id, entity_slug=record.slug, action=action,
        actor=actor, token_id=token_id, changes=changes, note=note, created_at=utcnow(),
    )
    db.add(revision)
    record_change(db, kind_name, record, action, changes, revision.created_at)
    return revision


class SlugTaken(Exception):
    """``upsert(..., new=True)`` found a record with that slug already."""


def upsert(
    db: DbSession, kind: Kind, data: dict[str, Any], *, actor: str, token_id: int | None = None, new: bool = False,
    note: str | None = None, stamp: Mapping[str, Any] | None = None, revise_creation: bool = True,
) -> WriteResult:
    """Create the record named by ``data['slug']`` or bring it to ``data``; record the revision.

    ``data`` is already validated by ``kind.schema``. Only the keys it holds are compared and
    written. With ``new``, the record must not exist yet (``SlugTaken`` otherwise): a create never
    turns into an update of a record someone else made meanwhile. Nothing is committed: the caller
    owns the transaction. ``note`` goes into the revision.

    ``stamp`` (validated by ``exchange.stamps.StampInput``) holds server-owned columns as another registry
    had them (``created_at``, ``updated_at``, ``version``, a practice's ``published_at`` and ``deleted_at``):
    a record this call creates takes them instead of now and 1. A record that exists keeps its own: an
    update is a new version of it, stamped now, whatever the stamp says. With ``revise_creation=False`` a
    record this call creates gets no revision: an import that restores its file's history, which holds the
    record's creation, writes that instead. An update is always recorded.
    """
    names = [n for n in kind.fields if n in data]
    record = _lookup(db, kind.model, data["slug"])
    if record is not None and new:
        raise SlugTaken(data["slug"])
    if record is None:
        changes = creation_changes(kind, data)
    else:
        changes = differences(kind, snapshot(kind, record), data)
    if record is not None and not changes:
        return WriteResult(record, "unchanged", {})

    now = utcnow()
    if record is None:
        record = kind.model(**{"created_at": now, "updated_at": now, "version": 1, **(stamp or {})})
        _apply(db, kind, record, data, names)
        db.add(record)
        action: Literal["created", "updated"] = "created"
    else:
        _apply(db, kind, record, data, list(changes))
        record.version += 1
        record.updated_at = now
        action = "updated"
    if kind.after_write:
        kind.after_write(db, record, data)
    db.flush()
    if revise_creation or action == "updated":
        record_revision(db, kind.name, record, "create" if action == "created" else "update", actor, changes,
                        token_id=token_id, note=note)
    return WriteResult(record, action, changes)
