"""Our small layer over flask-smorest: problem+json errors, 400 for bad query strings, and the
decorators every route uses to read, authenticate, and write.

Every blueprint of the API uses these classes, so the error shape, the answer to a write (commit,
ETag, ``Location``, Idempotency-Key) and their documentation are written once. A write view then
only finds the record, calls one write service and returns what it wrote:

    @blp.staff("editor")
    @blp.arguments(RightCreateInput)
    @blp.created(RightSchema, "rights.RightBySlug")
    def post(self, data, actor):
        return writes.create(db.session, RIGHT, data, actor)
"""

from __future__ import annotations

import functools
import http
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import flask_smorest
import marshmallow as ma
from apispec import BasePlugin
from flask import Flask, Response, jsonify, request, url_for
from flask_smorest import abort
from flask_smorest.spec import prepare_response
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from registry.api.auth import SCHEME_DOC, SECURITY_SCHEME, require
from registry.api.conditional import check_if_match, require_if_match
from registry.extensions import db
from registry.problems import PROBLEM_MIME, problem_from_http_exception
from registry.services import idempotency

F = TypeVar("F", bound=Callable[..., Any])

#: Where version 1 of the API lives.
API_PREFIX = "/api/v1"


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


ETAG_HEADER = {"ETag": {"description": "Validator of the new representation", "schema": {"type": "string"}}}
LOCATION_HEADER = {"Location": {"description": "The new record's address", "schema": {"type": "string"}}}
PENDING_HEADER = {"Location": {"description": "The address of the change waiting for review",
                               "schema": {"type": "string"}}}
IDEMPOTENCY_KEY = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_KEY_LENGTH},
    "description": "Any unique string: resending the same body with it replays the first answer",
    "example": "3f1c9e0a-create-madrid-reception",
}


#: A PATCH body is a JSON Merge Patch (RFC 7396), sent as either media type.
MERGE_PATCH_MIME = "application/merge-patch+json"


@dataclass(frozen=True)
class Deferred:
    """A PATCH that may wait for review instead of applying: when the view returns a ``model`` rather
    than the record, the answer is 202 Accepted with it as ``schema`` shows it, and its address
    (``endpoint``, given its id as ``key``) in ``Location``."""

    model: type
    schema: type[ma.Schema]
    endpoint: str
    key: str = "id"


def _answer(schema: type[ma.Schema], record: Any, status: int, *, etag: bool = True) -> Response:
    """The answer to a write: the record as a GET shows it now, committed with what made it.

    Everything is flushed and expired first, so the record is read back as stored (relations in
    their order, values as the database keeps them), and its ETag is the one a GET gives.
    """
    db.session.flush()
    db.session.expire_all()
    response = jsonify(schema().dump(record))
    response.status_code = status
    if etag:
        response.add_etag()
    response.headers["Cache-Control"] = "no-store"
    return response


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 0 < len(key) <= idempotency.MAX_KEY_LENGTH:
        abort(400, message=f"Idempotency-Key must be 1 to {idempotency.MAX_KEY_LENGTH} characters.",
              errors={"Idempotency-Key": [f"Must be 1 to {idempotency.MAX_KEY_LENGTH} characters."]})
    return key


def _replay(stored: Any) -> Response:
    replay = Response(stored.body, status=stored.status, mimetype="application/json")
    replay.add_etag()  # the same bytes, so the first answer's ETag
    replay.headers["Cache-Control"] = "no-store"
    replay.headers["Location"] = stored.location or ""
    replay.headers["Idempotent-Replayed"] = "true"
    return replay


class WriteDecorators:
    """The answers of writes, mixed into ``Blueprint``: each commits the request's transaction once
    the answer is built, so a write the database refuses at commit answers its problem, not a 2xx."""

    def created(self, schema: type[ma.Schema], endpoint: str) -> Callable[[F], F]:
        """A POST that makes a record: 201 with ``Location`` and the record, honouring Idempotency-Key.

        With a key, the same key and body (on the same address) replay the first answer; the same key
        with another body is a 422. The key is kept in the transaction of the record it answers for,
        so a refused POST leaves no key behind. ``endpoint`` names the record's detail view.
        """
        def decorator(view: F) -> F:
            @functools.wraps(view)
            def create(*args: Any, actor: Any, **kwargs: Any) -> Response:
                key = _idempotency_key()
                request_hash = ""
                if key is not None:
                    request_hash = idempotency.body_hash({"path": request.path, "body": request.get_json()})
                    try:
                        stored = idempotency.stored_answer(db.session, actor.token_id, key, request_hash)
                    except idempotency.KeyReused:
                        abort(422, message="This Idempotency-Key was used with another body.",
                              errors={"Idempotency-Key": ["Already used with a different request body."]})
                    if stored is not None:
                        return _replay(stored)
                record = view(*args, actor=actor, **kwargs)
                response = _answer(schema, record, 201)
                response.headers["Location"] = url_for(endpoint, slug=record.slug, _external=True)
                if key is not None:
                    idempotency.remember(db.session, actor.token_id, key, request_hash, 201,
                                         response.get_data(as_text=True), response.headers["Location"])
                db.session.commit()
                return response

            documented = self.response(201, schema, headers={**LOCATION_HEADER, **ETAG_HEADER})(create)
            documented = self.alt_response(409, response="CONFLICT")(documented)
            documented = self.too_large()(documented)
            return self.doc(parameters=[IDEMPOTENCY_KEY])(documented)

        return decorator

    def updated(
        self, schema: type[ma.Schema], *, conflict: bool = True, deferred: Deferred | None = None
    ) -> Callable[[F], F]:
        """A PATCH: a body and If-Match are required before the record is looked up (422, 428);
        the view finds the record, checks it (``check_if_match``) and writes. Answers the record, or,
        with ``deferred``, 202 with what waits for review when the view returns that instead."""
        def decorator(view: F) -> F:
            @functools.wraps(view)
            def update(*args: Any, **kwargs: Any) -> Response:
                if not request.get_data():
                    abort(422, message="Send the fields to change as a JSON object.",
                          errors={"json": ["Missing body."]})
                require_if_match()
                result = view(*args, **kwargs)
                if deferred is not None and isinstance(result, deferred.model):
                    # No ETag: the record itself has not changed, and its ETag is still the one read.
                    response = _answer(deferred.schema, result, 202, etag=False)
                    response.headers["Location"] = url_for(deferred.endpoint, _external=True,
                                                           **{deferred.key: result.id})
                else:
                    response = _answer(schema, result, 200)
                db.session.commit()
                return response

            documented = self.response(200, schema, headers=ETAG_HEADER)(update)
            if deferred is not None:
                documented = self.alt_response(
                    202, schema=deferred.schema, headers=PENDING_HEADER, success=True,
                    description="Accepted: the change waits for review; the record is unchanged until approved",
                )(documented)
            documented = self.too_large()(self.if_match()(documented))
            return self.alt_response(409, response="CONFLICT")(documented) if conflict else documented

        return decorator

    def deleted(self, *, conflict: bool = True) -> Callable[[F], F]:
        """A DELETE: If-Match is required before the record is looked up (428); answers 204."""
        def decorator(view: F) -> F:
            @functools.wraps(view)
            def remove(*args: Any, **kwargs: Any) -> Response:
                require_if_match()
                view(*args, **kwargs)
                db.session.commit()
                return Response(status=204)

            documented = self.response(204)(remove)
            documented = self.if_match()(documented)
            return self.alt_response(409, response="CONFLICT")(documented) if conflict else documented

        return decorator

    def acted(self, schema: type[ma.Schema]) -> Callable[[F], F]:
        """A POST that acts on an existing record (a workflow move, a restore): answers the record."""
        def decorator(view: F) -> F:
            @functools.wraps(view)
            def act(*args: Any, **kwargs: Any) -> Response:
                response = _answer(schema, view(*args, **kwargs), 200)
                db.session.commit()
                return response

            return self.response(200, schema, headers=ETAG_HEADER)(act)

        return decorator

    def too_large(self) -> Callable[[F], F]:
        """Document the 413 of a body over ``REGISTRY_MAX_BODY_BYTES``, refused before it is read."""
        return self.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")

    @staticmethod
    def check_if_match(record: Any, schema: type[ma.Schema], noun: str) -> None:
        """412 unless If-Match names the ETag of ``record`` as ``schema`` shows it now (``*`` matches)."""
        check_if_match(schema().dump(record), noun)


class Blueprint(WriteDecorators, flask_smorest.Blueprint):
    # Unknown fields are errors everywhere: a typo in a query parameter must never widen a search.
    ARGUMENTS_PARSER = QueryStringParser(unknown=ma.RAISE)

    def query(self, schema: type[ma.Schema] | ma.Schema) -> Any:
        """Query-string arguments: unknown or malformed parameters answer 400. A schema class is made an
        instance once, here: given a class, webargs makes one per request (a third of a warm list's time)."""
        return self.arguments(schema() if isinstance(schema, type) else schema, location="query",
                              error_status_code=400)

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
    """Every GET answers If-None-Match (``registry.api._conditional_get``), every PATCH and DELETE
    needs If-Match, and every PATCH takes ``application/merge-patch+json`` as well as
    ``application/json``: documented once, here, for every operation."""

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        for method, operation in (operations or {}).items():
            if method == "get":
                operation.setdefault("parameters", []).append(IF_NONE_MATCH)
            elif method in {"patch", "delete"}:
                operation.setdefault("parameters", []).append(IF_MATCH)
            content = operation.get("requestBody", {}).get("content", {})
            if method == "patch" and "application/json" in content:
                # The same body under its own media type: a JSON Merge Patch (RFC 7396).
                content[MERGE_PATCH_MIME] = content["application/json"]


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: Flask | None = None, **kwargs: Any) -> None:
        super().__init__(app, spec_kwargs={"extra_plugins": [ConditionalRequestsPlugin()]}, **kwargs)
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
