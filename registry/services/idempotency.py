"""Idempotent POSTs: the same key and body replays the first answer instead of writing twice."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import IdempotencyKey
from registry.models.base import utcnow

MAX_KEY_LENGTH = 200


class KeyReused(Exception):
    """The key was first sent with another body."""


def body_hash(body: Any) -> str:
    """The same JSON, however it is spaced or ordered, hashes alike."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def stored_answer(db: DbSession, token_id: int, key: str, request_hash: str) -> IdempotencyKey | None:
    """The answer kept for this key, or None the first time; ``KeyReused`` if the body differs."""
    stored = db.scalar(select(IdempotencyKey).where(IdempotencyKey.token_id == token_id, IdempotencyKey.key == key))
    if stored is not None and stored.request_hash != request_hash:
        raise KeyReused(key)
    return stored


def remember(
    db: DbSession, token_id: int, key: str, request_hash: str, status: int, body: str, location: str | None
) -> None:
    db.add(IdempotencyKey(token_id=token_id, key=key, request_hash=request_hash, status=status, body=body,
                          location=location, created_at=utcnow()))
