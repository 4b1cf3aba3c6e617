"""Whole answers of the busiest public reads, remembered until the data changes.

A list page of 50 practices is about 150 KB of JSON with every relation embedded; building it in
Python costs ten times what its four statements do. Between two writes the same request gets the
same bytes, so a GET that asks ``answer`` keeps them, with their ETag and ``Link`` header, in
``read_cache.ANSWERS`` under the data version (``read_cache.data_version``, read before the answer
is built: an answer is never older than the version it is kept under). Any write moves the version,
and the next request builds its answer afresh.

The key is everything the bytes depend on: the request's full URL (path, query string, and the host
the links are written with) and what the caller is shown (``varies``: the statuses a staff token
sees). A view whose answer depends on anything else must say so in ``varies`` or not use this.
Problems (4xx) raise out of ``build`` and are never kept. ``REGISTRY_ANSWER_CACHE_MB`` sets the bytes
kept per process (16 MiB; 0 keeps none, and every answer is built: what the benchmark's uncached run
measures).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import orjson
from flask import Response, current_app, g, request
from werkzeug.http import generate_etag

from registry.extensions import db
from registry.services.read_cache import ANSWER_BUDGET, ANSWERS, data_version


@dataclass(frozen=True)
class Answer:
    """The bytes a GET sends, their ETag, and the ``Link`` header its view left (a list's pages)."""

    body: bytes
    etag: str
    link: str | None


def json_bytes(body: Any) -> bytes:
    """``body`` as ``flask.jsonify`` writes it with the app's settings (compact, UTF-8 unescaped, keys in the
    order given, a final newline), by orjson."""
    return orjson.dumps(body) + b"\n"


def answer(varies: Hashable, build: Callable[[tuple[Any, ...]], Any]) -> Response:
    """The JSON answer ``build(version)`` gives (``json_bytes``), or the one kept for this request at the current
    data version (which ``build`` is given, so as not to read it again)."""
    version = data_version(db.session)

    def render() -> Answer:
        body = json_bytes(build(version))
        return Answer(body, generate_etag(body), g.get("link_header"))

    budget = current_app.config.get("ANSWER_CACHE_BYTES", ANSWER_BUDGET)
    if budget <= 0:
        kept = render()
    else:
        kept = ANSWERS.get(db.session, ("answer", request.url, varies), render, version, budget)
    if kept.link is not None:
        g.link_header = kept.link
    response = Response(kept.body, mimetype="application/json")
    response.set_etag(kept.etag)
    return response
