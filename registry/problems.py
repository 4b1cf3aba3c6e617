"""RFC 9457 problem details: the one shape of every 4xx and 5xx answer."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, json
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from registry.extensions import db
from registry.services.errors import ServiceError

PROBLEM_MIME = "application/problem+json"


def problem(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build a problem+json response."""
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MIME
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_from_http_exception(error: HTTPException) -> Response:
    """Any HTTP error, including those raised by ``flask_smorest.abort`` with extra data."""
    # Keep Werkzeug's own headers (Allow on 405, WWW-Authenticate on 401, Retry-After...).
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    status = error.code or 500
    detail = error.description if status < 500 else None
    errors = None
    data = getattr(error, "data", None) or {}
    if data:
        detail = data.get("message", detail)
        errors = data.get("errors") or data.get("messages")
        headers.update(data.get("headers") or {})
    return problem(status, detail, errors=errors, headers=headers)


def _from_unexpected(error: Exception) -> Response:
    current_app.logger.exception("Unhandled error", exc_info=error)
    return problem(500, "The server met an unexpected error; it has been logged.")


def _database_refused(error: Exception) -> Response:
    """The database's own rules are the last line: what slips past validation is the client's 409."""
    db.session.rollback()
    return problem(409, "The change conflicts with the registry's rules (a duplicate or a missing record).",
                   title="Conflict")


def _stale(error: Exception) -> Response:
    db.session.rollback()
    return problem(412, "The record changed while this request was writing it: read it again.")


def _too_long(error: Exception) -> Response:
    db.session.rollback()
    return problem(422, "A value is longer or larger than the registry can keep.")


def _refused(error: ServiceError) -> Response:
    """A service's refusal: nothing of the request is kept, and the problem names the fields at fault."""
    db.session.rollback()
    return problem(error.status, error.detail, errors=error.errors or None)


def register_problem_handlers(app: Flask) -> None:
    app.register_error_handler(ServiceError, _refused)
    app.register_error_handler(IntegrityError, _database_refused)
    app.register_error_handler(StaleDataError, _stale)
    app.register_error_handler(DataError, _too_long)
    app.register_error_handler(HTTPException, problem_from_http_exception)
    app.register_error_handler(InternalServerError, problem_from_http_exception)
    app.register_error_handler(Exception, _from_unexpected)
