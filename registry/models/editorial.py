"""Editorial records: the revision history and the API tokens that act on records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, SlugColumn, enum_check, utcnow
from registry.models.practices import Practice

REVISION_ACTIONS = ("create", "update", "status_change", "delete", "restore")
PROPOSAL_STATUSES = ("pending", "approved", "rejected")
TOKEN_ROLES = ("editor", "admin")


class ApiToken(Base):
    """A bearer token. Only the SHA-256 of its secret is kept; the secret is shown once."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        enum_check("role", TOKEN_ROLES),
        CheckConstraint("length(secret_hash) = 64", name="secret_hash_sha256"),
        CheckConstraint("name <> ''", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Revision(Base):
    """One create, update, status change, delete or restore of an editable record."""

    __tablename__ = "revisions"
    __table_args__ = (
        enum_check("action", REVISION_ACTIONS),
        CheckConstraint("actor <> ''", name="actor_not_empty"),
        Index("ix_revisions_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    entity_slug: Mapped[str] = mapped_column(SlugColumn)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    #: ``{field: {"old": ..., "new": ...}}`` with JSON values (slugs stand for related records).
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(String(2000))


class IdempotencyKey(Base):
    """The stored answer to a POST sent with an ``Idempotency-Key``, replayed when the same request comes again."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("token_id", "key"),
        CheckConstraint("key <> ''", name="key_not_empty"),
        CheckConstraint("length(request_hash) = 64", name="request_hash_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PracticeProposal(Base):
    """An editor's change to a published practice, waiting for an admin to approve or reject it.

    ``changes`` is the validated JSON Merge Patch (JSON values); ``base`` holds what each field it
    touches held when it was proposed, so that an approval can tell whether someone changed the same
    thing since.
    """

    __tablename__ = "practice_proposals"
    __table_args__ = (
        enum_check("status", PROPOSAL_STATUSES),
        CheckConstraint("proposed_by <> ''", name="proposed_by_not_empty"),
        CheckConstraint(
            "(status = 'pending' AND decided_at IS NULL AND decided_by IS NULL) OR "
            "(status <> 'pending' AND decided_at IS NOT NULL AND decided_by IS NOT NULL)",
            name="decided_when_not_pending",
        ),
        CheckConstraint("status <> 'rejected' OR decision_note <> ''", name="rejection_has_a_note"),
        Index("ix_practice_proposals_practice_status", "practice_id", "status"),
        Index("ix_practice_proposals_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    base_version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    base: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    proposed_by: Mapped[str] = mapped_column(String(120))
    proposed_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(String(2000))

    practice: Mapped[Practice] = relationship(Practice)
