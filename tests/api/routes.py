"""The app's routes and its OpenAPI document, for tests parametrised over them.

Routing and the OpenAPI document do not depend on the database: one app, never connected, lists the
rules the tests are parametrised over (so a new route gets the same checks without touching a test) and
serves the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from tests.conftest import REPO, make_app
from tests.helpers import API

SPEC_PATH = REPO / "openapi" / "openapi.json"
DOCS_BLUEPRINT = "swagger_ui"
SPEC_EXCLUDED = {"static", "api-docs.openapi_json"}
HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ORIGIN = "https://partner.example"

ROUTES_APP = make_app("sqlite://")


def _rules() -> list[Rule]:
    return sorted(
        (r for r in ROUTES_APP.url_map.iter_rules() if r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def _is_docs_asset(rule: Rule) -> bool:
    return rule.endpoint.startswith(f"{DOCS_BLUEPRINT}.") and "<" in rule.rule


ALL_RULES = [r.rule for r in _rules() if not _is_docs_asset(r)]
API_RULES = [r.rule for r in _rules() if r.rule.startswith(f"{API}/") and not r.endpoint.startswith(DOCS_BLUEPRINT)]
DETAIL_RULES = [r for r in API_RULES if r.endswith("/<slug>")]
_READABLE = {r.rule for r in _rules() if "GET" in (r.methods or set())}
#: Lists only staff may read (the public ones are checked over an anonymous client).
STAFF_LISTS = {f"{API}/proposals"}
#: The changes feed: read like a list, but by cursor (``since``, ``limit``) rather than by page.
FEED_RULES = [f"{API}/changes"]
#: The paged lists (the collections), each with the list envelope.
LIST_RULES = [r for r in API_RULES
              if "<" not in r and r != f"{API}/openapi.json" and r in _READABLE and r not in STAFF_LISTS
              and r not in FEED_RULES]
RULE_METHODS = {r.rule: set(r.methods or ()) for r in _rules() if not _is_docs_asset(r)}


def concrete(rule: str, slug: str = "no-such-slug") -> str:
    return rule.replace("<slug>", slug).replace("<int(max=2147483647):proposal_id>", "999999")


def first_slugs(reader: FlaskClient, list_rule: str, count: int = 2) -> list[str]:
    response = reader.get(f"{list_rule}?page_size={count}")
    assert response.status_code == 200, list_rule
    return [item["slug"] for item in response.json["items"]]


def links_of(response: TestResponse) -> dict[str, str]:
    """The RFC 8288 Link header as {rel: url}."""
    return {rel: url for url, rel in re.findall(r'<([^>]*)>\s*;\s*rel="([^"]+)"', response.headers.get("Link", ""))}


def openapi_path(rule: Rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation, [*item.get("parameters", []), *operation.get("parameters", [])]


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` to the node it names in the document's components."""
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = spec["components"][section][name]
    return node


def header_set(response: TestResponse, name: str) -> set[str]:
    """A comma-separated header's values, lowercased."""
    return {v.strip().lower() for v in response.headers.get(name, "").split(",") if v.strip()}
