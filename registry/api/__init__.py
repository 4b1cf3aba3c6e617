"""The HTTP API v1: blueprints, OpenAPI document, docs UI, caching and CORS headers."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_cors.core import get_cors_options, set_cors_headers
from flask_smorest import abort
from flask_swagger_ui import get_swaggerui_blueprint

from registry.api.changes.routes import blp as changes
from registry.api.conditional import conditional_get
from registry.api.gcm_objectives.routes import blp as gcm_objectives
from registry.api.gcm_principles.routes import blp as gcm_principles
from registry.api.health.routes import blp as health
from registry.api.imports.routes import blp as imports
from registry.api.local_governments.routes import blp as local_governments
from registry.api.networks.routes import blp as networks
from registry.api.organisations.routes import blp as organisations
from registry.api.practice_types.routes import blp as practice_types
from registry.api.practices.routes import blp as practices
from registry.api.proposals.routes import blp as proposals
from registry.api.questions.routes import blp as questions
from registry.api.rights.routes import blp as rights
from registry.api.sdg_targets.routes import blp as sdg_targets
from registry.api.sessions.routes import blp as sessions
from registry.api.smorest import API_PREFIX, Api
from registry.api.target_groups.routes import blp as target_groups

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

DESCRIPTION = """\
A public registry of what local governments do to make migrants' human rights real, classified
by rights category, target group, the questions of the session "Droits humains des migrants"
and the objectives of the Global Compact for Migration.

Lists share one envelope (`items`, `total`, `page`, `page_size`, `pages`, `links`) and send an
RFC 8288 `Link` header. Every GET has an `ETag`; `If-None-Match` answers 304. Errors are RFC 9457
`application/problem+json`. The registry's content is published under CC BY 4.0.

Mirrors: every collection takes `updated_since` (a date, meaning its midnight UTC, or a date-time
with an offset), and `/api/v1/changes?since=<cursor>` lists every create, update, publication,
archiving, delete and restore of every kind, in commit order, with a cursor that never skips or
repeats an event.

Network staff write with a bearer token (`editor` or `admin`, see each operation). `POST` answers
201 with `Location`; `PATCH` and `DELETE` need `If-Match` with the ETag read (428 without, 412 when
stale); every write is kept in the record's revision history (`…/{slug}/revisions`).

A `PATCH` is a JSON Merge Patch (RFC 7396), sent as `application/merge-patch+json` or
`application/json`: only the fields given change, and in multilingual text only the languages
given: `{"title": {"es": "Vivienda"}}` changes the Spanish text alone, `{"title": {"en": null}}`
removes the English one (never the record's original language). An editor's `PATCH` of a
published practice waits for an admin's review: it answers 202 with the proposal
(`/proposals`), and the public sees the practice unchanged until an admin approves it.
"""

#: Every resource's blueprint, in the order the contract lists them.
BLUEPRINTS = (
    practices, proposals, local_governments, rights, target_groups, practice_types, gcm_objectives, gcm_principles,
    sdg_targets, networks, organisations, sessions, questions, changes, imports, health,
)


def init_api(app: Flask) -> Api:
    app.config.setdefault("API_TITLE", "Practice Registry")
    app.config.setdefault("API_VERSION", "1.0.0")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {
            "description": DESCRIPTION,
            "license": {"name": "Content: CC BY 4.0; code: MIT", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": "/", "description": "This server"}],
    })
    _cors(app)
    api = Api(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(
        get_swaggerui_blueprint(
            f"{API_PREFIX}/docs", f"{API_PREFIX}/openapi.json",
            # No validator badge: it would send the spec's address to a third party.
            config={"app_name": "Practice Registry API", "validatorUrl": None},
        ),
        url_prefix=f"{API_PREFIX}/docs",
    )
    app.before_request(_refuse_nul)
    app.before_request(_json_bodies_only)
    app.after_request(conditional_get)
    return api


def _json_bodies_only() -> None:
    """A body the API cannot read as JSON is refused before any view: 415 for another media type."""
    if request.path.startswith(API_PREFIX + "/") and request.method in {"POST", "PUT", "PATCH"}:
        has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
        csv_allowed = request.path.rstrip("/") == f"{API_PREFIX}/imports" and request.mimetype == "text/csv"
        if has_body and not request.is_json and not csv_allowed:
            abort(415, message="Send the body as JSON with 'Content-Type: application/json'.")


def _refuse_nul() -> None:
    """A NUL character names nothing and no engine should see it (PostgreSQL text cannot hold one)."""
    if "\x00" in request.path:
        abort(404, message="No resource has a NUL character in its address.")
    bad = sorted({name for name, value in request.args.items(multi=True) if "\x00" in name + value})
    if bad:
        abort(400, message="Query parameters cannot hold a NUL character.",
              errors={name: ["Cannot hold a NUL character."] for name in bad})


def _cors(app: Flask) -> None:
    """Reads are open to any origin; writes only to the origins configured for them."""
    public = get_cors_options(app, {
        "origins": "*", "send_wildcard": True, "methods": sorted(SAFE_METHODS),
        "expose_headers": ["ETag", "Link"], "allow_headers": ["If-None-Match", "Accept", "Accept-Language"],
        "max_age": 600,
    })
    write = get_cors_options(app, {
        "origins": app.config.get("CORS_WRITE_ORIGINS", []), "methods": ["GET", "POST", "PATCH", "DELETE"],
        "expose_headers": ["ETag", "Link", "Location"],
        "allow_headers": ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key"],
        "vary_header": True,
    })

    @app.after_request
    def cors_headers(response: Response) -> Response:
        if request.path.startswith(API_PREFIX + "/"):
            asked = request.headers.get("Access-Control-Request-Method", request.method).upper()
            set_cors_headers(response, public if asked in SAFE_METHODS else write)
        return response
