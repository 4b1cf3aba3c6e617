"""Bearer tokens on HTTP: who is asking, and whether their role may do what they ask."""

from __future__ import annotations

from flask import g, request
from flask_smorest import abort

from registry.extensions import db
from registry.models import ApiToken
from registry.services.tokens import ROLE_RANK, Actor, TokenError, authenticate

SECURITY_SCHEME = "bearerAuth"
SCHEME_DOC = {
    "type": "http",
    "scheme": "bearer",
    "description": "A token made with `flask --app registry tokens create`; roles `editor` and `admin`.",
}


def _unauthorized(detail: str, error: str | None = None) -> None:
    challenge = 'Bearer realm="practice-registry"' + (f', error="{error}"' if error else "")
    abort(401, message=detail, headers={"WWW-Authenticate": challenge})


def current_token(*, required: bool) -> ApiToken | None:
    """The token the request presents, authenticated; 401 for a bad one (or a missing required one)."""
    if "token" in g and (g.token is not None or not required):
        return g.token
    header = request.headers.get("Authorization", "")
    if not header:
        if required:
            _unauthorized("This needs a token: send 'Authorization: Bearer <token>'.")
        g.token = None
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        _unauthorized("The Authorization header must read 'Bearer <token>'.", "invalid_request")
    try:
        token = authenticate(db.session, secret.strip())
    except TokenError:
        _unauthorized("The token is unknown, expired or revoked.", "invalid_token")
    db.session.commit()  # last_used_at, kept even if the request then fails
    g.token = token
    return token


def require(role: str) -> Actor:
    """The acting token, which must hold ``role`` or better: 401 without one, 403 if too weak."""
    token = current_token(required=True)
    assert token is not None
    if ROLE_RANK[token.role] < ROLE_RANK[role]:
        abort(403, message=f"This needs an {role} token; this one is {token.role}.")
    return Actor.of(token)


def is_staff() -> bool:
    return current_token(required=False) is not None
