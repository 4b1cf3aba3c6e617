"""Liveness and readiness probes, outside the versioned API."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from marshmallow import fields

from registry.api.common import Schema
from registry.api.smorest import READ_HEADERS, Blueprint
from registry.extensions import db
from registry.problems import problem
from registry.services.schema_state import schema_state

blp = Blueprint("health", __name__, description="Probes for load balancers and orchestrators")

#: A probe's answer is about this moment: never cached.
NO_STORE = {"Cache-Control": "no-store"}
PROBE_HEADERS = {
    "ETag": READ_HEADERS["ETag"],
    "Cache-Control": {"description": "no-store: a probe is never cached", "schema": {"type": "string"}},
}


class HealthSchema(Schema):
    status = fields.String(metadata={"example": "ok"})


class ReadySchema(Schema):
    status = fields.String(metadata={"example": "ready"})
    revision = fields.String(metadata={"description": "The database's migration revision", "example": "0002"})


@blp.route("/healthz")
@blp.read(HealthSchema, headers=PROBE_HEADERS, not_found=False)
def healthz() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Liveness

    The process is up and answering; says nothing of the database.
    """
    return {"status": "ok"}, 200, NO_STORE


@blp.route("/readyz")
@blp.read(ReadySchema, headers=PROBE_HEADERS, not_found=False)
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def readyz() -> tuple[dict[str, Any], int, dict[str, str]] | Response:
    """Readiness

    200 when the database answers and its schema is at the newest migration; 503 otherwise.
    """
    state = schema_state(db.engine, current_app.extensions["migrate"].directory)
    if state.error:
        return problem(503, f"Database unreachable: {state.error}", title="Not ready")
    if not state.at_head:
        return problem(
            503,
            f"Database schema at {', '.join(state.current) or 'nothing'}, migrations head is "
            f"{', '.join(state.heads)}: run 'flask --app registry db upgrade'.",
            title="Not ready",
        )
    return {"status": "ready", "revision": ", ".join(state.current)}, 200, NO_STORE
