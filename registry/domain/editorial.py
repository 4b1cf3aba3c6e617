"""Editing practices: create, update, review workflow, soft delete and restore, each with its revision.

Everything here goes through ``records`` (the one write path) and leaves committing to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from slugify import slugify
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.domain import kinds
from registry.domain.records import RecordError, record_revision, snapshot, upsert
from registry.models import ApiToken, Practice
from registry.models.base import utcnow

#: The review workflow (design.md §2): (from, to) -> the role it needs.
TRANSITIONS = {
    ("draft", "in_review"): "editor",
    ("in_review", "draft"): "editor",
    ("in_review", "published"): "admin",
    ("published", "archived"): "admin",
}
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


@dataclass(frozen=True)
class Actor:
    """Who writes: the token's name goes into the revision history."""

    name: str
    role: str
    token_id: int | None = None

    @classmethod
    def of(cls, token: ApiToken) -> Actor:
        return cls(token.name, token.role, token.id)


def _unique_slug(db: DbSession, title: dict[str, str], language: str) -> str:
    base = slugify(title.get(language) or next(iter(title.values())), max_length=100) or "practice"
    taken = set(db.scalars(select(Practice.slug).where(Practice.slug.like(f"{base}%"))))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


def create_practice(db: DbSession, data: dict[str, Any], actor: Actor) -> Practice:
    """A new draft. A given slug must be free; without one, the title's makes a free one."""
    if data.get("slug"):
        if db.scalar(select(Practice.id).where(Practice.slug == data["slug"])) is not None:
            raise Conflict("That slug is taken.", {"slug": [f"A practice with slug {data['slug']!r} exists."]})
    else:
        data = {**data, "slug": _unique_slug(db, data["title"], data["original_language"])}
    return _write(db, data, actor)


def update_practice(db: DbSession, practice: Practice, changes: dict[str, Any], actor: Actor) -> Practice:
    """Apply a partial update, after checking the whole record it makes (e.g. text in its language)."""
    merged = {**snapshot(kinds.PRACTICE, practice), **changes}
    try:
        full = kinds.PRACTICE.schema().load(merged)
    except ValidationError as error:
        raise EditorialError("The practice would be invalid.", error.normalized_messages()) from error
    return _write(db, {name: full[name] for name in changes} | {"slug": practice.slug}, actor)


def _write(db: DbSession, data: dict[str, Any], actor: Actor) -> Practice:
    try:
        return upsert(db, kinds.PRACTICE, data, actor=actor.name, token_id=actor.token_id).record
    except RecordError as error:
        raise EditorialError("The practice names records the registry does not have.", error.errors) from error


def allowed_transitions(status: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == status]


def transition(db: DbSession, practice: Practice, to: str, note: str | None, actor: Actor) -> Practice:
    needed = TRANSITIONS.get((practice.status, to))
    if needed is None:
        allowed = allowed_transitions(practice.status)
        raise EditorialError(
            f"A {practice.status} practice cannot go to {to!r}.",
            {"to": [f"From {practice.status!r} the allowed transitions are: {', '.join(allowed) or 'none'}."]},
        )
    if ROLE_RANK[actor.role] < ROLE_RANK[needed]:
        raise Forbidden(f"Going from {practice.status!r} to {to!r} needs an {needed} token.")
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
    if practice.deleted_at is None:
        raise Conflict("The practice is not deleted.", {"slug": [f"{practice.slug!r} is not deleted."]})
    old = practice.deleted_at
    practice.deleted_at = None
    _bump(practice)
    db.flush()
    record_revision(db, "practice", practice, "restore", actor.name,
                    {"deleted_at": {"old": old.isoformat(), "new": None}}, token_id=actor.token_id)
    return practice


def _bump(practice: Practice) -> None:
    practice.version += 1
    practice.updated_at = utcnow()
