"""Editing practices: create, update, review workflow, soft delete and restore, each with its revision.

Create and update are ``editing``'s, as for every record; the workflow and soft deletion are
practices' own. Nothing here commits: the caller owns the transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session as DbSession

from registry.models import Practice
from registry.models.base import utcnow
from registry.services import editing, kinds
from registry.services.editing import (  # noqa: F401 - the editorial vocabulary, used from here by the API
    ROLE_RANK,
    Actor,
    Conflict,
    Editable,
    EditorialError,
    Forbidden,
    original_text,
)
from registry.services.records import record_revision

#: The review workflow (design.md §2): (from, to) -> the role it needs.
TRANSITIONS = {
    ("draft", "in_review"): "editor",
    ("in_review", "draft"): "editor",
    ("in_review", "published"): "admin",
    ("published", "archived"): "admin",
}

PRACTICES = Editable(kinds.PRACTICE, "practice", original_text("title"))


def create_practice(db: DbSession, data: dict[str, Any], actor: Actor) -> Practice:
    """A new draft. A given slug must be free; without one, the title's makes a free one."""
    return editing.create(db, PRACTICES, data, actor)


def update_practice(db: DbSession, practice: Practice, changes: dict[str, Any], actor: Actor) -> Practice:
    """Apply a partial update, after checking the whole record it makes (e.g. text in its language)."""
    return editing.update(db, PRACTICES, practice, changes, actor)


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
