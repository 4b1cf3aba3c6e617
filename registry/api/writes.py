"""What every write endpoint does alike: If-Match, the answer to a write, refusals, Idempotency-Key.

Views stay thin: they find the record, hand the change to the domain, and answer through here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from flask import Response, jsonify, request
from flask_smorest import abort
from sqlalchemy.exc import IntegrityError

from registry.extensions import db
from registry.services import idempotency
from registry.services.editing import Actor, EditorialError

ETAG_HEADER = {"ETag": {"description": "Validator of the new representation", "schema": {"type": "string"}}}
LOCATION_HEADER = {"Location": {"description": "The new record's address", "schema": {"type": "string"}}}
IDEMPOTENCY_KEY = {
    "in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string", "maxLength": 200},
    "description": "Any unique string: resending the same body with it replays the first answer",
    "example": "3f1c9e0a-create-madrid-reception",
}


def representation_etag(body: Any) -> str:
    """The ETag a GET answering ``body`` carries (the hash of the same bytes)."""
    response = jsonify(body)
    response.add_etag()
    return response.get_etag()[0]


def require_if_match() -> None:
    """428 without If-Match: checked first, so that the answer does not depend on what exists."""
    if not request.headers.get("If-Match"):
        abort(428, message="Send 'If-Match' with the ETag of the version you edited (GET it first).")


def check_if_match(current: Any, noun: str) -> None:
    """Optimistic concurrency: 428 without If-Match, 412 when the client's copy is stale.

    ``current`` is the record's representation as a GET would show it now.
    """
    require_if_match()
    if not request.if_match.star_tag and not request.if_match.contains(representation_etag(current)):
        abort(412, message=f"The {noun} changed since you read it: GET it again, then reapply your change.")


def require_body() -> None:
    """A PATCH with nothing in it is a mistake worth naming (an empty object is a valid no-op)."""
    if not request.get_data():
        abort(422, message="Send the fields to change as a JSON object.", errors={"json": ["Missing body."]})


def refused(error: EditorialError) -> NoReturn:
    db.session.rollback()
    abort(error.status, message=str(error), errors=error.errors or None)


def written(
    represent: Callable[[], Any], status: int = 200, before_commit: Callable[[str], None] | None = None
) -> Response:
    """The answer to a write: the record as a GET would show it now, committed with what made it."""
    db.session.flush()
    db.session.expire_all()
    response = jsonify(represent())
    if before_commit:
        before_commit(response.get_data(as_text=True))
    db.session.commit()
    response.status_code = status
    response.add_etag()
    response.headers["Cache-Control"] = "no-store"
    return response


def deleted() -> Response:
    db.session.commit()
    return Response(status=204)


def _made(make: Callable[[], Any], attempts: int = 3) -> Any:
    """Run ``make``; when the database refuses it as a clash with a write that committed meanwhile
    (two POSTs that chose the same free slug at once, say), start again: the domain's own checks
    then see the other write, and either pick another slug or name the clashing field."""
    for attempt in range(attempts):
        try:
            return make()
        except EditorialError as error:
            refused(error)
        except IntegrityError:
            db.session.rollback()
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def create(actor: Actor, make: Callable[[], Any], location: Callable[[Any], str],
           represent: Callable[[Any], Any]) -> Response:
    """A POST that makes a record: 201 with Location and the record, honouring Idempotency-Key.

    With a key, the same key and body (on the same address) replay the first answer; the same key
    with another body is a 422. The key is kept in the transaction of the record it answers for,
    so a refused POST leaves no key behind.
    """
    key = request.headers.get("Idempotency-Key")
    request_hash = idempotency.body_hash({"path": request.path, "body": request.get_json()})
    if key is not None:
        if not 0 < len(key) <= idempotency.MAX_KEY_LENGTH:
            abort(400, message="Idempotency-Key must be 1 to 200 characters.",
                  errors={"Idempotency-Key": ["Must be 1 to 200 characters."]})
        try:
            stored = idempotency.stored_answer(db.session, actor.token_id, key, request_hash)
        except idempotency.KeyReused:
            abort(422, message="This Idempotency-Key was used with another body.",
                  errors={"Idempotency-Key": ["Already used with a different request body."]})
        if stored is not None:
            replay = Response(stored.body, status=stored.status, mimetype="application/json")
            replay.add_etag()  # the same bytes, so the first answer's ETag
            replay.headers["Cache-Control"] = "no-store"
            replay.headers["Location"] = stored.location or ""
            replay.headers["Idempotent-Replayed"] = "true"
            return replay
    record = _made(make)
    address = location(record)

    def remember(body: str) -> None:
        if key is not None:
            idempotency.remember(db.session, actor.token_id, key, request_hash, 201, body, address)

    response = written(lambda: represent(record), 201, before_commit=remember)
    response.headers["Location"] = address
    return response
