"""Our small layer over flask-smorest: problem+json errors, 400 for bad query strings.

Every blueprint of the API uses these classes, so the envelope, the error shape and their
documentation are written once.
"""

from __future__ import annotations

import functools
import http
from collections.abc import Callable
from typing import Any, TypeVar

import flask_smorest
import marshmallow as ma
from apispec import BasePlugin
from flask import Flask
from flask_smorest.spec import prepare_response
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from registry.problems import PROBLEM_MIME, problem_from_http_exception

F = TypeVar("F", bound=Callable[..., Any])


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation only: errors are built in ``registry.problems``)."""

    type = ma.fields.String(metadata={"description": "A URI naming the kind of problem", "example": "about:blank"})
    title = ma.fields.String(metadata={"description": "Short summary of the kind of problem", "example": "Bad Request"})
    status = ma.fields.Integer(metadata={"description": "The HTTP status code", "example": 400})
    detail = ma.fields.String(metadata={"description": "What went wrong this time"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Raw(),
        metadata={
            "description": "For validation problems: each field or query parameter with its messages",
            "example": {"page_size": ["Must be greater than or equal to 1 and less than or equal to 100."]},
        },
    )


class QueryStringParser(FlaskParser):
    """A malformed or unknown query parameter is the client's error: 400, not 422."""

    DEFAULT_VALIDATION_STATUS = 422

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):  # noqa: ANN001
        messages = error.messages
        # webargs nests messages under the location ("query", "json"): name the fields directly.
        if isinstance(messages, dict) and len(messages) == 1:
            (location, inner), = messages.items()
            if location in {"query", "json", "headers", "form"} and isinstance(inner, dict):
                messages = inner
        status = error_status_code or self.DEFAULT_VALIDATION_STATUS
        flask_smorest.abort(status, errors=messages, message="The request has invalid fields.", headers=error_headers)


READ_HEADERS = {
    "ETag": {"description": "Validator of this representation, for If-None-Match", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=60 on anonymous reads", "schema": {"type": "string"}},
    "Access-Control-Allow-Origin": {"description": "'*' for any origin on public reads", "schema": {"type": "string"}},
}
LIST_HEADERS = {
    **READ_HEADERS,
    "Link": {"description": "RFC 8288 links to the self, first, prev, next and last pages",
             "schema": {"type": "string"}},
}
IF_NONE_MATCH = {
    "in": "header", "name": "If-None-Match", "required": False,
    "description": "An ETag from an earlier answer: 304 with no body when it still matches",
    "schema": {"type": "string"}, "example": '"0ca0ef1e11f5e092ec26082c426c4df7d53f888d"',
}


def slug_parameter(noun: str, example: str) -> dict[str, Any]:
    return {"in": "path", "name": "slug", "required": True, "description": f"Public id of the {noun}",
            "schema": {"type": "string", "minLength": 1}, "example": example}


class Blueprint(flask_smorest.Blueprint):
    # Unknown fields are errors everywhere: a typo in a query parameter must never widen a search.
    ARGUMENTS_PARSER = QueryStringParser(unknown=ma.RAISE)

    def query(self, schema: type[ma.Schema] | ma.Schema) -> Any:
        """Query-string arguments: unknown or malformed parameters answer 400."""
        return self.arguments(schema, location="query", error_status_code=400)

    def read(
        self, schema: type[ma.Schema] | ma.Schema, *, headers: dict[str, Any] = READ_HEADERS, not_found: bool = True
    ) -> Callable[[F], F]:
        """A GET: the 200 with its caching headers, the 304 for If-None-Match, and the 404 of a detail."""
        def decorator(view: F) -> F:
            view = self.response(200, schema, headers=headers)(view)
            view = self.alt_response(304, description="Not Modified: the If-None-Match ETag still matches",
                                     headers=headers, success=True)(view)
            if not_found:
                view = self.alt_response(404, response="NOT_FOUND")(view)
            return view

        return decorator


    def staff(self, role: str) -> Callable[[F], F]:
        """Only a bearer token of ``role`` (or better) passes, before any input is read; the view gets
        the acting token as ``actor``. Documents the scheme, 401 and 403."""
        def decorator(view: F) -> F:
            @functools.wraps(view)
            def guarded(*args: Any, **kwargs: Any) -> Any:
                from registry.api.auth import require

                return view(*args, actor=require(role), **kwargs)

            documented = self.alt_response(401, response="UNAUTHORIZED")(guarded)
            documented = self.alt_response(403, response="FORBIDDEN")(documented)
            return self.doc(security=[{"bearerAuth": []}])(documented)

        return decorator

    def if_match(self) -> Callable[[F], F]:
        """Document a PATCH or DELETE of one record: 404, and If-Match's 412 and 428."""
        def decorator(view: F) -> F:
            view = self.alt_response(404, response="NOT_FOUND")(view)
            view = self.alt_response(412, response="PRECONDITION_FAILED")(view)
            return self.alt_response(428, response="PRECONDITION_REQUIRED")(view)

        return decorator

    def optional_staff(self) -> Callable[[F], F]:
        """Document a read that anyone may make, and that shows staff more: a token is optional,
        and a bad one answers 401."""
        def decorator(view: F) -> F:
            view = self.alt_response(401, response="UNAUTHORIZED")(view)
            return self.doc(security=[{}, {"bearerAuth": []}])(view)

        return decorator


IF_MATCH = {
    "in": "header", "name": "If-Match", "required": True,
    "description": "The ETag of the version being changed: 428 without it, 412 when someone changed it since",
    "schema": {"type": "string"}, "example": '"0ca0ef1e11f5e092ec26082c426c4df7d53f888d"',
}


class ConditionalRequestsPlugin(BasePlugin):
    """Every GET answers If-None-Match (``registry.api._conditional_get``) and every PATCH and DELETE
    needs If-Match: documented once, here, for every operation."""

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            if method == "get":
                operation.setdefault("parameters", []).append(IF_NONE_MATCH)
            elif method in {"patch", "delete"}:
                operation.setdefault("parameters", []).append(IF_MATCH)


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: Flask | None = None, **kwargs: Any) -> None:
        super().__init__(app, spec_kwargs={"extra_plugins": [ConditionalRequestsPlugin()]}, **kwargs)
        from registry.api.auth import SCHEME_DOC, SECURITY_SCHEME

        self.spec.components.security_scheme(SECURITY_SCHEME, SCHEME_DOC)

    def handle_http_exception(self, error: HTTPException):  # noqa: ANN201
        return problem_from_http_exception(error)

    def _register_responses(self) -> None:
        """Document every error response as ``application/problem+json``."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIME)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "An error, described as RFC 9457 problem details", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_MIME)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)
