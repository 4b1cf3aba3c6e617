"""ETags: one validator for every representation, read (If-None-Match) and write (If-Match) alike.

Why not flask-smorest's ``etag``/``check_etag``: it hashes the schema's dump of a view's result, so
it sees neither what the view answers outside a schema (probes, problems, the docs, future CSV or
Atom forms of a list) nor headers a representation varies on. The registry's rule is simpler and
covers all of them: the ETag is the strong hash of the exact bytes a GET sends (Werkzeug's
``add_etag``), and an If-Match is checked against the hash of the bytes a GET would send now.
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, request
from flask_smorest import abort


def etag_of(body: Any) -> str:
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
    if not request.if_match.star_tag and not request.if_match.contains(etag_of(current)):
        abort(412, message=f"The {noun} changed since you read it: GET it again, then reapply your change.")


def conditional_get(response: Response) -> Response:
    """``after_request``: ETag on every successful GET, 304 for a matching If-None-Match, caching, Link."""
    if link := g.pop("link_header", None):
        response.headers["Link"] = link
    if request.method in {"GET", "HEAD"} and response.status_code == 200 and not response.direct_passthrough:
        response.add_etag()
        # Staff see drafts: their answers must stay out of shared caches.
        staff = g.get("token") is not None or "Authorization" in request.headers
        response.headers.setdefault("Cache-Control", "private, no-store" if staff else "public, max-age=60")
        response.make_conditional(request)
    return response
