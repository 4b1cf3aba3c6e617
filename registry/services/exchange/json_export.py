"""Export of every record, as the kinds' schemas take it back: the records themselves and the JSON document."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.services.exchange.formats import FORMAT_NAME, FORMAT_VERSION, KIND_BY_KEY, KINDS, LICENCE, REVISIONS
from registry.services.exchange.history import export_revisions
from registry.services.exchange.stamps import stamp_of
from registry.services.records import Kind, Rows, snapshot
from registry.services.sessions import SESSION


def _eager(kind: Kind) -> list[Any]:
    """Load every relation ``snapshot`` reads in one query per relation, not one per record."""
    options = []
    for relation in kind.relations.values():
        loader = selectinload(getattr(kind.model, relation.attr))
        if isinstance(relation, Rows) and relation.refs:
            loader = loader.options(*(selectinload(getattr(relation.model, r.attr)) for r in relation.refs.values()))
        options.append(loader)
    if kind is SESSION:
        options.append(selectinload(kind.model.questions))
    return options


def _sorted_keys(value: Any) -> Any:
    """Object keys sorted at every level: PostgreSQL's JSONB and SQLite's JSON keep keys in different orders."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def _exported(kind: Kind, record: Any) -> dict[str, Any]:
    data = snapshot(kind, record) | stamp_of(record)
    if kind is SESSION:  # a session carries its questions, as ``SessionInput`` takes them, with their stamps
        data["questions"] = [
            {"number": q.number, "original_language": q.original_language, "text": q.text} | stamp_of(q)
            for q in sorted(record.questions, key=lambda q: q.number)
        ]
    return _sorted_keys(data)


def export_records(db: DbSession, keys: Iterable[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every record of the kinds named by ``keys`` (all by default), by kind in write order, then by slug.

    Each record is what its kind's schema takes, plus its stamps (``stamps``): ``created_at``, ``updated_at``,
    ``version``, and for practices ``published_at`` and ``deleted_at``. Practices carry their ``status``;
    soft-deleted practices are exported too, with their ``deleted_at``, so that nothing is lost. Questions
    travel inside their session: a question's slug is always ``<session-slug>-q<number>``. Left out: ids and
    ``search_name`` (this database's own), and API tokens (secrets).
    """
    wanted = set(KIND_BY_KEY if keys is None else keys)
    exported = {}
    for key, kind in KINDS:
        if key not in wanted:
            continue
        query = select(kind.model).options(*_eager(kind))
        records = sorted(db.scalars(query), key=lambda record: record.slug)  # byte order on both engines
        exported[key] = [_exported(kind, record) for record in records]
    return exported


def export_json(db: DbSession) -> str:
    """The whole registry as one JSON document (see ``export_records``), with its licence and its revision
    history (``history.export_revisions``)."""
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "licence": LICENCE, "records": export_records(db),
                REVISIONS: _sorted_keys(export_revisions(db))}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
