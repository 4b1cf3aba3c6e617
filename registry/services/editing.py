"""Editing any record through the API: create, partial update and delete, each with its revision.

Practices add a review workflow and soft deletion on top (``editorial``); every other record —
local governments, networks, organisations, sessions, questions and the reference lists — is
edited through these three functions alone. Nothing here knows of HTTP, and nothing commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from slugify import slugify
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as DbSession

from registry.models import ApiToken
from registry.models.base import Base
from registry.services.records import Kind, RecordError, Ref, record_revision, snapshot, upsert

ROLE_RANK = {"editor": 1, "admin": 2}


class EditorialError(Exception):
    """A write the registry refuses; ``errors`` names the fields at fault."""

    status = 422

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.errors = errors or {}


class Conflict(EditorialError):
    status = 409


class Forbidden(EditorialError):
    status = 403


class Stale(EditorialError):
    status = 412


@dataclass(frozen=True)
class Actor:
    """Who writes: the token's name goes into the revision history."""

    name: str
    role: str
    token_id: int | None = None

    @classmethod
    def of(cls, token: ApiToken) -> Actor:
        return cls(token.name, token.role, token.id)


def original_text(field: str) -> Callable[[dict[str, Any]], str]:
    """Slug source: a multilingual field, in the record's original language."""
    def source(data: dict[str, Any]) -> str:
        text = data.get(field) or {}
        return text.get(data.get("original_language")) or next(iter(text.values()), "")

    return source


@dataclass(frozen=True)
class Editable:
    """How records of one kind are edited: the write mapping, what they are called, where a new
    record's slug comes from when the client gives none."""

    kind: Kind
    noun: str
    slug_from: Callable[[dict[str, Any]], str]
    #: Groups of fields whose values no two records may share (beyond the slug), checked before
    #: writing so that the client hears which field clashes rather than a bare database refusal.
    unique: tuple[tuple[str, ...], ...] = ()


def unique_slug(db: DbSession, model: type, text: str, fallback: str) -> str:
    """A slug made from ``text`` that no record of ``model`` holds yet (``-2``, ``-3``... if needed)."""
    base = slugify(text, max_length=100) or fallback
    taken = set(db.scalars(select(model.slug).where(model.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def create(db: DbSession, editable: Editable, data: dict[str, Any], actor: Actor) -> Any:
    """A new record. A given slug must be free; without one, a free one is made (``slug_from``)."""
    model = editable.kind.model
    if data.get("slug"):
        if db.scalar(select(model.id).where(model.slug == data["slug"])) is not None:
            raise Conflict("That slug is taken.", {"slug": [f"A {editable.noun} with slug {data['slug']!r} exists."]})
    else:
        fallback = editable.kind.name.replace("_", "-")
        data = {**data, "slug": unique_slug(db, model, editable.slug_from(data), fallback)}
    _check_parent(db, editable, None, data)
    _check_unique(db, editable, None, data)
    return _write(db, editable, data, actor)


def update(db: DbSession, editable: Editable, record: Any, changes: dict[str, Any], actor: Actor) -> Any:
    """Apply a partial update, after checking the whole record it makes (e.g. text in its language)."""
    merged = {**snapshot(editable.kind, record), **changes}
    try:
        full = editable.kind.schema().load(merged)
    except ValidationError as error:
        raise EditorialError(f"The {editable.noun} would be invalid.", error.normalized_messages()) from error
    _check_parent(db, editable, record, full)
    _check_unique(db, editable, record, full)
    return _write(db, editable, {name: full[name] for name in changes} | {"slug": record.slug}, actor)


def _write(db: DbSession, editable: Editable, data: dict[str, Any], actor: Actor) -> Any:
    try:
        return upsert(db, editable.kind, data, actor=actor.name, token_id=actor.token_id).record
    except RecordError as error:
        raise EditorialError(f"The {editable.noun} names records the registry does not have.", error.errors) from error


def _check_parent(db: DbSession, editable: Editable, record: Any, data: dict[str, Any]) -> None:
    """A record that has a parent of its own kind may not sit below itself."""
    relation = editable.kind.relations.get("parent")
    if not isinstance(relation, Ref) or relation.model is not editable.kind.model or not data.get("parent"):
        return
    model, seen, slug = editable.kind.model, set(), data["parent"]
    own = record.slug if record is not None else data.get("slug")
    while slug is not None and slug not in seen:
        if slug == own:
            where = "itself" if slug == data["parent"] else f"{data['parent']!r}, which lies below it"
            raise EditorialError(f"A {editable.noun} cannot sit below itself.",
                                 {"parent": [f"{own!r} cannot have {where} as its parent."]})
        seen.add(slug)
        parent = db.scalar(select(model).where(model.slug == slug))
        slug = parent.parent.slug if parent is not None and parent.parent is not None else None


def _check_unique(db: DbSession, editable: Editable, record: Any, data: dict[str, Any]) -> None:
    model = editable.kind.model
    for group in editable.unique:
        statement = select(model.slug)
        for name in group:
            relation = editable.kind.relations.get(name)
            if isinstance(relation, Ref):
                statement = statement.where(getattr(model, relation.attr).has(slug=data[name]))
            else:
                statement = statement.where(getattr(model, name) == data[name])
        if record is not None:
            statement = statement.where(model.id != record.id)
        holder = db.scalar(statement.limit(1))
        if holder is not None:
            values = ", ".join(f"{name} {data[name]!r}" for name in group)
            raise Conflict(f"Another {editable.noun} has the same {' and '.join(group)}.",
                           {group[-1]: [f"{holder!r} already has {values}."]})


def referrers(db: DbSession, record: Any) -> dict[str, int]:
    """Rows elsewhere that point at ``record`` through a foreign key the database would defend
    (RESTRICT): table name -> how many. Rows that would go with it (CASCADE) are not counted."""
    table = type(record).__table__
    found: dict[str, int] = {}
    for other in Base.metadata.sorted_tables:
        for key in other.foreign_keys:
            if key.column.table is not table or (key.ondelete or "").upper() in {"CASCADE", "SET NULL"}:
                continue
            if other.name == "revisions":
                continue
            count = db.scalar(select(func.count()).select_from(other).where(key.parent == record.id)) or 0
            if count:
                found[other.name] = found.get(other.name, 0) + count
    return found


def remove(db: DbSession, editable: Editable, record: Any, actor: Actor) -> None:
    """Delete a record nothing else refers to; its last state stays in the revision history.

    Records still referred to are refused (409) with what refers to them, so that no practice,
    person or question silently loses a link. The database's RESTRICT keys stand behind this.
    """
    used = referrers(db, record)
    if used:
        listed = ", ".join(f"{name.replace('_', ' ')} ({n})" for name, n in used.items())
        raise Conflict(
            f"The {editable.noun} {record.slug!r} is still referred to by: {listed}. Remove those references first.",
            {"slug": [f"Referred to by: {listed}."]},
        )
    before = snapshot(editable.kind, record)
    record_revision(db, editable.kind.name, record, "delete", actor.name,
                    {name: {"old": value, "new": None} for name, value in before.items()}, token_id=actor.token_id)
    model = type(record)
    # A core DELETE: the ORM would otherwise detach links itself instead of letting the keys refuse.
    deleted = db.execute(delete(model).where(model.id == record.id, model.version == record.version))
    if deleted.rowcount != 1:
        raise Stale(f"The {editable.noun} changed while it was being deleted: read it again.")
    db.expunge(record)
