"""The changes feed: one event per write, positioned in commit order; filled from the revision history

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

EVENTS = ("created", "updated", "published", "unpublished", "archived", "deleted", "restored")
_ALLOWED = ", ".join(f"'{e}'" for e in EVENTS)
_SIMPLE = {"create": "created", "update": "updated", "delete": "deleted", "restore": "restored"}


def upgrade() -> None:
    changes = op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("public_event", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"event IN ({_ALLOWED})", name=op.f("ck_changes_event_allowed")),
        sa.CheckConstraint(
            "slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' "
            "AND slug NOT GLOB '*--*'", name=op.f("ck_changes_slug_format"),
        ).ddl_if(dialect="sqlite"),
        sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_changes_slug_format"))
        .ddl_if(dialect="postgresql"),
        sa.CheckConstraint(f"public_event IN ({_ALLOWED})", name=op.f("ck_changes_public_event_allowed")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
        sa.UniqueConstraint("position", name=op.f("uq_changes_position")),
    )
    op.bulk_insert(changes, list(_history()))


def _history() -> Any:
    """The events of the revisions written so far, in their order (the logic of registry.services.feed
    at the time of this migration, frozen here)."""
    revisions = sa.table(
        "revisions", sa.column("id", sa.Integer), sa.column("entity_type", sa.String),
        sa.column("entity_slug", sa.String), sa.column("action", sa.String), sa.column("changes", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    rows = op.get_bind().execute(sa.select(
        revisions.c.entity_type, revisions.c.entity_slug, revisions.c.action, revisions.c.changes,
        revisions.c.created_at,
    ).order_by(revisions.c.id))
    versions: dict[tuple[str, str], int] = {}
    practices: dict[str, tuple[str, bool]] = {}  # slug -> (status, deleted)
    for position, (kind, slug, action, changes, at) in enumerate(rows, 1):
        key = (kind, slug)
        if action == "create":
            versions[key] = 1
        elif action != "delete" or kind == "practice":  # a hard delete keeps the last version
            versions[key] = versions.get(key, 0) + 1
        event = public = _SIMPLE.get(action, "updated")
        if kind == "practice":
            event, public = _practice(practices, slug, action, changes or {})
        yield {"position": position, "kind": kind, "slug": slug, "event": event, "public_event": public,
               "version": versions.get(key), "at": at}


def _practice(practices: dict[str, tuple[str, bool]], slug: str, action: str, changes: dict) -> tuple[str, Any]:
    status_change = changes.get("status")
    status, deleted = practices.get(slug, ("draft", False))
    before = action != "create" and status == "published" and not deleted
    if status_change:
        status = status_change["new"]
    if action == "delete":
        deleted = True
    elif action == "restore":
        deleted = False
    practices[slug] = (status, deleted)
    after = status == "published" and not deleted

    if action in _SIMPLE and action != "update":
        event = _SIMPLE[action]
    elif status_change and status_change["new"] in {"published", "archived"}:
        event = status_change["new"]
    elif status_change and status_change["old"] == "published":
        event = "unpublished"
    else:
        event = "updated"

    public = None
    if before and after:
        public = "updated"
    elif after:
        public = "restored" if action == "restore" else "published"
    elif before:
        public = "deleted" if action == "delete" else (
            "archived" if status_change and status_change["new"] == "archived" else "unpublished")
    return event, public


def downgrade() -> None:
    op.drop_table("changes")
