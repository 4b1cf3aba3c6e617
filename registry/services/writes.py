"""Editing any record: create, partial update, delete, and the practices' review workflow.

This is the one write engine behind the API: every kind of record (``records.Kind``, declared in
its own service module) is created, updated and deleted by the functions here, each leaving its
revision; practices add the review workflow, soft deletion and restore. Seeds and imports write
through ``records.upsert``, the same mapping underneath. Nothing here knows of HTTP, and nothing
commits: the caller owns the transaction.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from slugify import slugify
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from registry.models import Practice
from registry.models.base import Base, as_utc, utcnow
from registry.services.errors import Conflict, EditorialError, Forbidden, Stale
from registry.services.merge_patch import merged_values
from registry.services.practices import STUB_NOT_PUBLIC
from registry.services.records import (
    Kind,
    RecordError,
    Ref,
    SlugTaken,
    check_references,
    differences,
    record_revision,
    savepoint,
    snapshot,
    upsert,
)
from registry.services.tokens import ROLE_RANK, Actor

#: How often a create picks a free slug again when concurrent writes keep taking the one it picked.
SLUG_ATTEMPTS = 3

#: The review workflow (design.md §2): (from, to) -> the role it needs.
TRANSITIONS = {
    ("draft", "in_review"): "editor",
    ("in_review", "draft"): "editor",
    ("in_review", "published"): "admin",
    ("published", "archived"): "admin",
    ("archived", "draft"): "admin",  # an admin may restore an archived practice to draft
}


def unique_slug(db: DbSession, model: type, text: str, fallback: str) -> str:
    """A slug made from ``text`` that no record of ``model`` holds yet (``-2``, ``-3``... if needed)."""
    base = slugify(text, max_length=100) or fallback
    taken = set(db.scalars(select(model.slug).where(model.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def create(db: DbSession, kind: Kind, data: dict[str, Any], actor: Actor) -> Any:
    """A new record. A given slug must be free; without one, a free one is made (``kind.slug_from``).

    Two creates may pick the same free slug at once: the one that finds it taken when it writes
    (by the lookup, or by the database's unique key) undoes its own SAVEPOINT and picks again.
    """
    model = kind.model
    if data.get("slug"):
        if db.scalar(select(model.id).where(model.slug == data["slug"])) is not None:
            raise Conflict("That slug is taken.", {"slug": [f"A {kind.noun} with slug {data['slug']!r} exists."]})
        return _insert(db, kind, data, actor)
    assert kind.slug_from is not None, f"{kind.name} records need a slug"
    for attempt in range(SLUG_ATTEMPTS):
        slug = unique_slug(db, model, kind.slug_from(data), kind.name.replace("_", "-"))
        try:
            return _insert(db, kind, {**data, "slug": slug}, actor)
        except (SlugTaken, IntegrityError):
            if attempt == SLUG_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _insert(db: DbSession, kind: Kind, data: dict[str, Any], actor: Actor) -> Any:
    _check_parent(db, kind, None, data)
    _check_unique(db, kind, None, data)
    with savepoint(db):
        return _write(db, kind, data, actor, new=True)


def update(
    db: DbSession, kind: Kind, record: Any, changes: dict[str, Any], actor: Actor, *, note: str | None = None
) -> Any:
    """Apply a partial update (a JSON Merge Patch: ``merge_patch``), after checking the whole record it
    makes (e.g. text in its language). ``note`` goes into the revision."""
    full = updated_record(db, kind, record, changes)
    with savepoint(db):  # a refusal at the database leaves the caller's transaction as it was
        return _write(db, kind, _written(record, changes, full), actor, note=note)


def updated_record(db: DbSession, kind: Kind, record: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """The whole record, validated, that ``changes`` would make of ``record``; nothing is written.

    Raises what ``update`` raises before it writes: 422 for a record that would be invalid (or lose
    its original language's text), 409 for a clash with another record, a parent below itself.
    """
    stored = snapshot(kind, record)
    try:
        full = kind.schema().load({**stored, **merged_values(kind.schema, stored, changes)})
    except ValidationError as error:
        raise EditorialError(f"The {kind.noun} would be invalid.", error.normalized_messages()) from error
    if kind.check_update:
        kind.check_update(record, full)
    _check_parent(db, kind, record, full)
    _check_unique(db, kind, record, full)
    return full


def check_update(db: DbSession, kind: Kind, record: Any, changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Everything ``update`` would check, references to other records included, without writing:
    what the update would change (each field with its old and new value; empty when nothing)."""
    full = updated_record(db, kind, record, changes)
    try:
        check_references(db, kind, full, list(changes))
    except RecordError as error:
        raise EditorialError(f"The {kind.noun} names records the registry does not have.", error.errors) from error
    return differences(kind, snapshot(kind, record), _written(record, changes, full))


def _written(record: Any, changes: dict[str, Any], full: dict[str, Any]) -> dict[str, Any]:
    return {name: full[name] for name in changes} | {"slug": record.slug}


def _write(
    db: DbSession, kind: Kind, data: dict[str, Any], actor: Actor, *, new: bool = False, note: str | None = None
) -> Any:
    try:
        return upsert(db, kind, data, actor=actor.name, token_id=actor.token_id, new=new, note=note).record
    except RecordError as error:
        raise EditorialError(f"The {kind.noun} names records the registry does not have.", error.errors) from error


def _check_parent(db: DbSession, kind: Kind, record: Any, data: dict[str, Any]) -> None:
    """A record that has a parent of its own kind may not sit below itself."""
    relation = kind.relations.get("parent")
    if not isinstance(relation, Ref) or relation.model is not kind.model or not data.get("parent"):
        return
    model, seen, slug = kind.model, set(), data["parent"]
    own = record.slug if record is not None else data.get("slug")
    while slug is not None and slug not in seen:
        if slug == own:
            where = "itself" if slug == data["parent"] else f"{data['parent']!r}, which lies below it"
            raise EditorialError(f"A {kind.noun} cannot sit below itself.",
                                 {"parent": [f"{own!r} cannot have {where} as its parent."]})
        seen.add(slug)
        parent = db.scalar(select(model).where(model.slug == slug))
        slug = parent.parent.slug if parent is not None and parent.parent is not None else None


def _check_unique(db: DbSession, kind: Kind, record: Any, data: dict[str, Any]) -> None:
    model = kind.model
    for group in kind.unique:
        statement = select(model.slug)
        for name in group:
            relation = kind.relations.get(name)
            if isinstance(relation, Ref):
                statement = statement.where(getattr(model, relation.attr).has(slug=data[name]))
            else:
                statement = statement.where(getattr(model, name) == data[name])
        if record is not None:
            statement = statement.where(model.id != record.id)
        holder = db.scalar(statement.limit(1))
        if holder is not None:
            values = ", ".join(f"{name} {data[name]!r}" for name in group)
            raise Conflict(f"Another {kind.noun} has the same {' and '.join(group)}.",
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


def remove(db: DbSession, kind: Kind, record: Any, actor: Actor) -> None:
    """Delete a record nothing else refers to; its last state stays in the revision history.

    Records still referred to are refused (409) with what refers to them, so that no practice,
    person or question silently loses a link. The database's RESTRICT keys stand behind this.
    Practices are never deleted so: they are soft-deleted (``delete_practice``).
    """
    used = referrers(db, record)
    if used:
        listed = ", ".join(f"{name.replace('_', ' ')} ({n})" for name, n in used.items())
        raise Conflict(
            f"The {kind.noun} {record.slug!r} is still referred to by: {listed}. Remove those references first.",
            {"slug": [f"Referred to by: {listed}."]},
        )
    before = snapshot(kind, record)
    model = type(record)
    # A core DELETE: the ORM would otherwise detach links itself instead of letting the keys refuse.
    deleted = db.execute(delete(model).where(model.id == record.id, model.version == record.version))
    if deleted.rowcount != 1:
        raise Stale(f"The {kind.noun} changed while it was being deleted: read it again.")
    record_revision(db, kind.name, record, "delete", actor.name,
                    {name: {"old": value, "new": None} for name, value in before.items()}, token_id=actor.token_id)
    db.expunge(record)


# --- The practices' own workflow ----------------------------------------------------------------

def allowed_transitions(status: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == status]


def transition(db: DbSession, practice: Practice, to: str, note: str | None, actor: Actor) -> Practice:
    """Move a practice in the review workflow; publishing and archiving need an admin."""
    needed = TRANSITIONS.get((practice.status, to))
    if needed is None:
        allowed = allowed_transitions(practice.status)
        raise EditorialError(
            f"A {practice.status} practice cannot go to {to!r}.",
            {"to": [f"From {practice.status!r} the allowed transitions are: {', '.join(allowed) or 'none'}."]},
        )
    if ROLE_RANK[actor.role] < ROLE_RANK[needed]:
        raise Forbidden(f"Going from {practice.status!r} to {to!r} needs an {needed} token.")
    if to == "published" and practice.documentation == "stub":
        raise EditorialError("A stub cannot be published.", {"documentation": [STUB_NOT_PUBLIC]})
    changes = {"status": {"old": practice.status, "new": to}}
    practice.status = to
    if to == "published" and practice.published_at is None:
        practice.published_at = utcnow()
    _bump(practice)
    db.flush()
    record_revision(db, "practice", practice, "status_change", actor.name, changes, token_id=actor.token_id, note=note)
    return practice


def delete_practice(db: DbSession, practice: Practice, actor: Actor) -> None:
    """Soft delete: the record and its history stay, hidden from everyone until restored."""
    practice.deleted_at = utcnow()
    _bump(practice)
    db.flush()
    record_revision(db, "practice", practice, "delete", actor.name,
                    {"deleted_at": {"old": None, "new": practice.deleted_at.isoformat()}}, token_id=actor.token_id)


def restore_practice(db: DbSession, practice: Practice, actor: Actor) -> Practice:
    """Bring back a soft-deleted practice in the status it had."""
    if practice.deleted_at is None:
        raise Conflict("The practice is not deleted.", {"slug": [f"{practice.slug!r} is not deleted."]})
    old = as_utc(practice.deleted_at)
    practice.deleted_at = None
    _bump(practice)
    db.flush()
    record_revision(db, "practice", practice, "restore", actor.name,
                    {"deleted_at": {"old": old.isoformat(), "new": None}}, token_id=actor.token_id)
    return practice


def _bump(practice: Practice) -> None:
    practice.version += 1
    practice.updated_at = utcnow()
