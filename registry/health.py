"""Liveness and readiness probes, outside the versioned API."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from marshmallow import fields

from registry.api.common import Schema
from registry.api.smorest import Blueprint
from registry.domain.schema_state import schema_state
from registry.problems import problem

blp = Blueprint("health", __name__, description="Probes for load balancers and orchestrators")


class HealthSchema(Schema):
    status = fields.String(metadata={"example": "ok"})


class ReadySchema(Schema):
    status = fields.String(metadata={"example": "ready"})
    revision = fields.String(metadata={"description": "The database's migration revision", "example": "0002"})


@blp.route("/healthz")
@blp.response(200, HealthSchema)
def healthz() -> dict[str, Any]:
    """Liveness

    The process is up and answering; says nothing of the database.
    """
    return {"status": "ok"}


@blp.route("/readyz")
@blp.response(200, ReadySchema)
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def readyz() -> dict[str, Any] | Response:
    """Readiness

    200 when the database answers and its schema is at the newest migration; 503 otherwise.
    """
    state = schema_state(current_app.extensions["migrate"].directory)
    if state.error:
        return problem(503, f"Database unreachable: {state.error}", title="Not ready")
    if not state.at_head:
        return problem(
            503,
            f"Database schema at {', '.join(state.current) or 'nothing'}, migrations head is "
            f"{', '.join(state.heads)}: run 'flask --app registry db upgrade'.",
            title="Not ready",
        )
    return {"status": "ready", "revision": ", ".join(state.current)}
