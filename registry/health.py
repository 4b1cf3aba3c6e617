"""Liveness and readiness probes, outside the versioned API."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from registry.domain.schema_state import schema_state
from registry.problems import problem

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and answering."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    """The database answers and its schema is at the newest migration."""
    state = schema_state(current_app.extensions["migrate"].directory)
    if state.error:
        return problem(503, f"Database unreachable: {state.error}", title="Not ready")
    if not state.at_head:
        return problem(
            503,
            f"Database schema at {state.current or 'nothing'}, migrations head is "
            f"{', '.join(state.heads)}: run 'flask --app registry db upgrade'.",
            title="Not ready",
        )
    return jsonify(status="ready", revision=", ".join(state.current))
