"""API tokens: made by the CLI, shown once, kept only as a SHA-256 of their secret."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session as DbSession

from registry.models import ApiToken
from registry.models.base import as_utc, utcnow
from registry.models.editorial import TOKEN_ROLES

SECRET_PREFIX = "prg_"
#: How much of the secret is kept in clear to recognise a token in lists and logs.
PUBLIC_PREFIX_LENGTH = len(SECRET_PREFIX) + 8


#: Roles in order of what they may do: an admin may do all an editor may.
ROLE_RANK = {"editor": 1, "admin": 2}


@dataclass(frozen=True)
class Actor:
    """Who writes: the token's name goes into the revision history (``seed`` and ``import`` for the CLI)."""

    name: str
    role: str
    token_id: int | None = None

    @classmethod
    def of(cls, token: ApiToken) -> Actor:
        return cls(token.name, token.role, token.id)


class TokenError(Exception):
    """Why a presented secret does not authenticate (said to the client in general terms only)."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(db: DbSession, name: str, role: str, expires_in_days: int | None = None) -> NewToken:
    if role not in TOKEN_ROLES:
        raise ValueError(f"Role must be one of: {', '.join(TOKEN_ROLES)}.")
    if not name.strip():
        raise ValueError("A token needs a name.")
    if db.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise ValueError(f"A token named {name!r} exists already.")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        name=name, role=role, secret_hash=digest(secret), prefix=secret[:PUBLIC_PREFIX_LENGTH], created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days is not None else None,
    )
    db.add(token)
    db.flush()
    return NewToken(token, secret)


def authenticate(db: DbSession, secret: str) -> ApiToken:
    """The live token this secret belongs to; records its use. Raises ``TokenError``."""
    if not secret.startswith(SECRET_PREFIX):
        raise TokenError("malformed")
    token = db.scalar(select(ApiToken).where(ApiToken.secret_hash == digest(secret)))
    if token is None:
        raise TokenError("unknown")
    now = utcnow()
    if token.revoked_at is not None:
        raise TokenError("revoked")
    expires_at = as_utc(token.expires_at) if token.expires_at is not None else None
    if expires_at is not None and expires_at <= now:
        raise TokenError("expired")
    token.last_used_at = now
    return token


def list_tokens(db: DbSession) -> list[ApiToken]:
    return list(db.scalars(select(ApiToken).order_by(ApiToken.created_at, ApiToken.name)))


def revoke_token(db: DbSession, name_or_prefix: str) -> ApiToken:
    token = db.scalar(
        select(ApiToken).where(or_(ApiToken.name == name_or_prefix, ApiToken.prefix == name_or_prefix))
    )
    if token is None:
        raise ValueError(f"No token named or prefixed {name_or_prefix!r}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token
