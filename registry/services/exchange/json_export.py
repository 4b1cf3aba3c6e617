"""Export of every record, as the kinds' schemas take it back: the records themselves and the JSON document."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.models import Practice
from registry.services.exchange.formats import FORMAT_NAME, FORMAT_VERSION, KINDS, LICENCE
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
    data = snapshot(kind, record)
    if kind is SESSION:  # a session carries its questions, as ``SessionInput`` takes them
        data["questions"] = [
            {"number": q.number, "original_language": q.original_language, "text": q.text}
            for q in sorted(record.questions, key=lambda q: q.number)
        ]
    return _sorted_keys(data)


def export_records(db: DbSession) -> dict[str, list[dict[str, Any]]]:
    """Every record, by kind in write order, then by slug, each exactly as its kind's schema takes it.

    Left out, because the server owns them and an import could not set them: ids, ``version``,
    ``created_at``/``updated_at``/``published_at``, ``search_name``, revisions and API tokens. Practices
    carry their ``status``. Soft-deleted practices are not part of the registry's content and are left out.
    Questions travel inside their session: a question's slug is always ``<session-slug>-q<number>``.
    """
    exported = {}
    for key, kind in KINDS:
        query = select(kind.model).options(*_eager(kind))
        if kind.model is Practice:
            query = query.where(Practice.deleted_at.is_(None))
        records = sorted(db.scalars(query), key=lambda record: record.slug)  # byte order on both engines
        exported[key] = [_exported(kind, record) for record in records]
    return exported


def export_json(db: DbSession) -> str:
    """The whole registry as one JSON document (see ``export_records``), with its licence."""
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "licence": LICENCE, "records": export_records(db)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
