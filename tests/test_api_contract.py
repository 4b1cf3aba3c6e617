"""The API (v1) against its contract (design.md §3), on every backend under test.

Routes are not listed by hand: every rule of the app is walked, so a new route gets the same
checks (error shape, 405, caching, CORS, pagination, documentation) without touching this file.
Reads are checked here; the writes' own behaviour (tokens, If-Match, workflow) is in
``test_api_writes.py``.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from sqlalchemy.engine import URL
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from tests.conftest import BACKENDS, PostgresServer, Templates, make_app

API = "/api/v1"
SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"
PROBLEM = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}
REQUIRED_PROBLEM_KEYS = {"type", "title", "status"}
DOCS_BLUEPRINT = "swagger_ui"
ORIGIN = "https://partner.example"

# Routing and the OpenAPI document do not depend on the database: one app, never connected,
# lists the rules the tests are parametrised over.
_ROUTES_APP = make_app("sqlite://")


def _rules() -> list[Rule]:
    return sorted(
        (r for r in _ROUTES_APP.url_map.iter_rules() if r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def _is_docs_asset(rule: Rule) -> bool:
    return rule.endpoint.startswith(f"{DOCS_BLUEPRINT}.") and "<" in rule.rule


ALL_RULES = [r.rule for r in _rules() if not _is_docs_asset(r)]
API_RULES = [r.rule for r in _rules() if r.rule.startswith(f"{API}/") and not r.endpoint.startswith(DOCS_BLUEPRINT)]
DETAIL_RULES = [r for r in API_RULES if r.endswith("/<slug>")]
_READABLE = {r.rule for r in _rules() if "GET" in (r.methods or set())}
LIST_RULES = [r for r in API_RULES if "<" not in r and r != f"{API}/openapi.json" and r in _READABLE]
SPEC_EXCLUDED = {"static", "api-docs.openapi_json"}


def concrete(rule: str, slug: str = "no-such-slug") -> str:
    return rule.replace("<slug>", slug)


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    """An RFC 9457 problem with the given status: the one error shape of the API."""
    where = f"{response.request.method} {response.request.url}"
    assert response.status_code == status, f"{where}: {response.status_code} {response.get_data(as_text=True)[:300]}"
    assert response.mimetype == PROBLEM, f"{where}: content type {response.content_type}"
    body = json.loads(response.get_data(as_text=True))
    assert isinstance(body, dict), where
    assert body["status"] == response.status_code, where
    assert REQUIRED_PROBLEM_KEYS <= body.keys() <= PROBLEM_KEYS, f"{where}: keys {sorted(body)}"
    assert isinstance(body["type"], str) and body["type"], where
    assert isinstance(body["title"], str) and body["title"], where
    if "errors" in body:
        assert isinstance(body["errors"], dict) and body["errors"], where
    return body


@contextmanager
def own_app(database_url, **config: Any) -> Iterator[Flask]:
    """An app with its own configuration on a test database, its connections closed after."""
    app = make_app(database_url, **config)
    try:
        yield app
    finally:
        with app.app_context():
            from registry.extensions import db

            db.session.remove()
            db.engine.dispose()


def add_records(app: Flask) -> None:
    """The seeds hold no organisation and one session: give every collection two records or more."""
    from registry.extensions import db
    from registry.models import Organisation, Session

    with app.app_context():
        for n in (1, 2, 3):
            db.session.add(Organisation(
                slug=f"contract-organisation-{n}", name={"en": f"Contract organisation {n}"},
                original_language="en", kind="civil_society", country="ES" if n == 1 else None,
            ))
        db.session.add(Session(
            slug="contract-session", title={"en": "A session with no date yet"}, original_language="en",
            start_time=time(9, 0), end_time=time(10, 30),
        ))
        db.session.commit()
        db.session.remove()


@contextmanager
def seeded_copy(backend: str, templates: Templates, postgres: PostgresServer | None, tmp: Path) -> Iterator[Flask]:
    """An app on a private copy of the seeded template, with ``add_records``; dropped after."""
    template = templates.get(backend, seeded=True)
    if backend == "sqlite":
        target = tmp / "contract.sqlite3"
        shutil.copyfile(str(template).removeprefix("sqlite:///"), target)
        url: str | URL = f"sqlite:///{target}"
    else:
        assert postgres is not None and isinstance(template, URL)
        url = postgres.create(f"contract_{uuid.uuid4().hex[:8]}", template=template.database)
    try:
        with own_app(url) as app:
            add_records(app)
            yield app
    finally:
        if isinstance(url, URL) and postgres is not None:
            postgres.drop(url.database or "")


@pytest.fixture(scope="module", params=BACKENDS)
def read_app(request: pytest.FixtureRequest, templates, postgres, tmp_path_factory) -> Iterator[Flask]:
    """One seeded app per backend for this module's tests, which only read."""
    with seeded_copy(request.param, templates, postgres, tmp_path_factory.mktemp("contract")) as app:
        yield app


@pytest.fixture
def reader(read_app: Flask) -> FlaskClient:
    """An anonymous client of the seeded app."""
    return read_app.test_client()


def first_slugs(reader, list_rule: str, count: int = 2) -> list[str]:
    response = reader.get(f"{list_rule}?page_size={count}")
    assert response.status_code == 200, list_rule
    return [item["slug"] for item in response.json["items"]]


def links_of(response: TestResponse) -> dict[str, str]:
    """The RFC 8288 Link header as {rel: url}."""
    return {rel: url for url, rel in re.findall(r'<([^>]*)>\s*;\s*rel="([^"]+)"', response.headers.get("Link", ""))}


# --- 1. One error shape everywhere ---------------------------------------------------------


@pytest.mark.parametrize("rule", DETAIL_RULES)
def test_unknown_slug_is_a_404_problem(reader, rule: str) -> None:
    body = assert_problem(reader.get(concrete(rule)), 404)
    assert "no-such-slug" in body.get("detail", "")


@pytest.mark.parametrize("rule", LIST_RULES)
def test_unknown_query_parameter_is_a_400_problem_naming_it(reader, rule: str) -> None:
    body = assert_problem(reader.get(f"{rule}?colour=blue&page=1"), 400)
    assert "colour" in body["errors"], body
    assert list(body["errors"]) == ["colour"], "only the unknown parameter is at fault"


_RULE_METHODS = {r.rule: set(r.methods or ()) for r in _rules() if not _is_docs_asset(r)}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def test_the_api_has_write_routes_and_read_only_ones() -> None:
    """The 405 test below is only meaningful if both kinds exist."""
    assert any(set(WRITE_METHODS) & methods for methods in _RULE_METHODS.values())
    assert any(not set(WRITE_METHODS) & methods for methods in _RULE_METHODS.values())


# Routing answers these before any view runs, so they need no database.
@pytest.mark.parametrize("rule", ALL_RULES)
def test_methods_a_route_does_not_define_are_405_problems(rule: str) -> None:
    defined = _RULE_METHODS[rule]
    undefined = [m for m in WRITE_METHODS if m not in defined]
    if "GET" not in defined:
        undefined.append("GET")
    assert undefined or set(WRITE_METHODS) <= defined, rule
    for method in undefined:
        response = _ROUTES_APP.test_client().open(concrete(rule), method=method)
        assert_problem(response, 405)
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
        assert method not in allowed, (method, rule, response.headers)
        assert allowed >= defined - {"HEAD", "OPTIONS"}, (method, rule, response.headers)


@pytest.mark.parametrize("path", ["/nope", f"{API}/nope", f"{API}/practices/a/b", "/api/v2/practices", f"{API}/"])
def test_unknown_route_is_a_404_problem(path: str) -> None:
    assert_problem(_ROUTES_APP.test_client().get(path), 404)


def test_unexpected_error_is_a_500_problem_without_internals(seeded_database_url, caplog) -> None:
    def boom() -> str:
        raise RuntimeError("secret-internal-detail at /srv/registry/app.py")

    with own_app(seeded_database_url, PROPAGATE_EXCEPTIONS=False) as app:
        app.add_url_rule("/boom", view_func=boom)
        app.add_url_rule(f"{API}/boom", endpoint="api_boom", view_func=boom)
        for path in ("/boom", f"{API}/boom"):
            response = app.test_client().get(path)
            body = assert_problem(response, 500)
            text = response.get_data(as_text=True)
            for leak in ("Traceback", "RuntimeError", "secret-internal-detail", ".py", 'File "'):
                assert leak not in text, f"{path}: the body shows {leak!r}: {text}"
            assert body["title"] == "Internal Server Error"
    assert "secret-internal-detail" in caplog.text, "the error is logged for the operators"


# --- 2. Malformed values on /practices -------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field", "mentions"),
    [
        ("page=0", "page", None),
        ("page=two", "page", None),
        ("page_size=500", "page_size", None),
        ("page_size=0", "page_size", None),
        ("page_size=-3", "page_size", None),
        ("sort=foo", "sort", None),
        ("updated_since=yesterday", "updated_since", None),
        ("facets=nope", "facets", None),
        ("facets=right,nope", "facets", None),
        ("right=houssing", "right", "houssing"),
        ("right=housing&right=houssing", "right", "houssing"),
        ("country=XX", "country", "XX"),
        ("region=999", "region", "999"),
        ("local_government=atlantis", "local_government", "atlantis"),
        ("sort=relevance", "sort", None),
    ],
)
def test_malformed_practice_query_is_a_400_naming_the_field(reader, query: str, field: str, mentions: str | None):
    body = assert_problem(reader.get(f"{API}/practices?{query}"), 400)
    assert field in body.get("errors", {}), body
    if mentions:
        assert mentions in " ".join(map(str, body["errors"][field])), body


# Hostile but well-formed requests: the client's error (4xx problem) or an empty answer, never a 500.
HOSTILE = [
    f"{API}/practices?page=9223372036854775807",
    f"{API}/rights?page=99999999999999999999",
    f"{API}/practices?page=2147483648&page_size=100",
    f"{API}/practices?updated_since=9999-12-31T23:59:59-12:00",
    f"{API}/practices?updated_since=0001-01-01T00:00:00%2B01:00",
    f"{API}/practices/%00",
    f"{API}/rights/a%00b",
    f"{API}/practices?right=%00",
    f"{API}/practices?q=%00",
    f"{API}/practices?q=%22",
    f"{API}/practices?q=NEAR%28",
    f"{API}/local-governments?q=%00",
    f"{API}/local-governments?q=%25",
    f"{API}/questions?session=%00",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_values_are_never_a_server_error(read_app, monkeypatch, url: str) -> None:
    monkeypatch.setitem(read_app.config, "PROPAGATE_EXCEPTIONS", False)
    response = read_app.test_client().get(url)
    assert response.status_code < 500, (
        f"GET {url} answered {response.status_code} (expected a 4xx problem naming the parameter, "
        f"or 200): {response.get_data(as_text=True)[:300]}"
    )
    if response.status_code >= 400:
        assert_problem(response, response.status_code)


# --- 3-5. The OpenAPI document ---------------------------------------------------------------


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    response = _ROUTES_APP.test_client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json


def test_committed_spec_is_the_generated_one(spec) -> None:
    committed = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    assert committed == spec, "openapi/openapi.json is stale: run 'make spec'"


def test_spec_is_valid_openapi_3_1_under_cc_by(spec) -> None:
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    licence = spec["info"]["license"]
    assert "CC BY 4.0" in licence["name"]
    assert licence["url"] == "https://creativecommons.org/licenses/by/4.0/"


def _openapi_path(rule: Rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


HTTP_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def test_every_route_is_in_the_spec_and_back(spec) -> None:
    """Every (path, method) the app serves is documented, and every documented one is served."""
    served: set[tuple[str, str]] = set()
    for rule in _ROUTES_APP.url_map.iter_rules():
        if rule.endpoint in SPEC_EXCLUDED or rule.endpoint.startswith(f"{DOCS_BLUEPRINT}."):
            continue
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        served |= {(_openapi_path(rule), m.lower()) for m in methods}
    documented = {(path, m) for path, item in spec["paths"].items() for m in item if m in HTTP_METHODS}
    assert served == documented, {
        "undocumented": sorted(served - documented), "no such route": sorted(documented - served)
    }
    assert {m for _, m in served} == {"get", "post", "patch", "delete"}, sorted(served)
    for pair in [
        (f"{API}/practices", "post"), (f"{API}/practices/{{slug}}", "patch"), (f"{API}/practices/{{slug}}", "delete"),
        (f"{API}/practices/{{slug}}/transitions", "post"), (f"{API}/practices/{{slug}}/restore", "post"),
        (f"{API}/practices/{{slug}}/revisions", "get"),
    ]:
        assert pair in served, pair


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation, [*item.get("parameters", []), *operation.get("parameters", [])]


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = spec["components"][section][name]
    return node


def test_every_operation_and_parameter_is_documented(spec) -> None:
    missing = []
    for path, method, operation, parameters in _operations(spec):
        for key in ("summary", "description"):
            if not str(operation.get(key, "")).strip():
                missing.append(f"{method.upper()} {path}: no {key}")
        for parameter in map(lambda p: _resolve(spec, p), parameters):
            name = f"{method.upper()} {path} {parameter['in']} parameter {parameter['name']!r}"
            if not str(parameter.get("description", "")).strip():
                missing.append(f"{name}: no description")
            schema = parameter.get("schema", {})
            if not ({"example", "examples"} & parameter.keys() or {"example", "examples"} & schema.keys()):
                missing.append(f"{name}: no example")
    assert not missing, "\n".join(missing)


def test_every_error_response_is_documented_as_problem_json(spec) -> None:
    components = spec["components"]["responses"]
    assert components["DEFAULT_ERROR"]["content"].keys() == {PROBLEM}
    problem_ref = components["DEFAULT_ERROR"]["content"][PROBLEM]["schema"]
    assert _resolve(spec, problem_ref)["properties"].keys() == PROBLEM_KEYS
    wrong = []
    for path, method, operation, _ in _operations(spec):
        responses = operation["responses"]
        if responses.get("default") != {"$ref": "#/components/responses/DEFAULT_ERROR"}:
            wrong.append(f"{method.upper()} {path}: default is {responses.get('default')}")
        for status, response in responses.items():
            if status == "default" or int(status) >= 400:
                content = _resolve(spec, response).get("content", {})
                if content.keys() != {PROBLEM} or content[PROBLEM]["schema"] != problem_ref:
                    wrong.append(f"{method.upper()} {path} {status}: {sorted(content)}")
    assert not wrong, "\n".join(wrong)


def _accepted_query_parameters(endpoint: str) -> set[str]:
    """What the view's argument schemas accept in the query string (whatever the spec says)."""
    view_class = getattr(_ROUTES_APP.view_functions[endpoint], "view_class", None)
    get = getattr(view_class, "get", None) or _ROUTES_APP.view_functions[endpoint]
    names: set[str] = set()
    for argument in getattr(get, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        if argument["in"] == "query":
            schema = argument["schema"]() if isinstance(argument["schema"], type) else argument["schema"]
            names |= {field.data_key or name for name, field in schema.fields.items() if not field.dump_only}
    return names


def test_every_query_parameter_the_api_accepts_is_in_the_spec(spec) -> None:
    """A partner reading the spec must see `page`, `q`, `right`... not only `If-None-Match`."""
    undocumented = {}
    for rule in _ROUTES_APP.url_map.iter_rules():
        if rule.rule not in LIST_RULES:
            continue
        accepted = _accepted_query_parameters(rule.endpoint)
        assert {"page", "page_size"} <= accepted, rule.rule
        operation = spec["paths"][_openapi_path(rule)]["get"]
        documented = {p["name"] for p in map(lambda p: _resolve(spec, p), operation.get("parameters", []))
                      if p["in"] == "query"}
        if accepted - documented:
            undocumented[rule.rule] = sorted(accepted - documented)
    assert not undocumented, f"query parameters the API accepts but the spec does not show: {undocumented}"


# --- 6. The docs UI --------------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href", "img": "src", "iframe": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append(value)


# The docs UI is static: it needs no database.
def _docs_page(reader: FlaskClient) -> str:
    response = reader.get(f"{API}/docs/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_docs_ui_serves_its_own_assets() -> None:
    reader = _ROUTES_APP.test_client()
    parser = _Assets()
    parser.feed(_docs_page(reader))
    assert any(u.endswith(".js") for u in parser.urls) and any(u.endswith(".css") for u in parser.urls)
    for url in parser.urls:
        parts = urlsplit(url)
        assert parts.scheme in {"", "http"} and parts.netloc in {"", "localhost"}, f"external asset: {url}"
        asset = reader.get(url)
        try:
            assert asset.status_code == 200, url
            assert asset.get_data(), url
        finally:
            asset.close()


def test_docs_ui_contacts_no_third_party() -> None:
    """Swagger UI's default online-validator badge loads an image from validator.swagger.io."""
    page = _docs_page(_ROUTES_APP.test_client())
    config = json.loads(re.search(r"var user_config = (\{.*?\});", page).group(1))
    assert config.get("validatorUrl", "https://validator.swagger.io/validator") in (None, "none"), (
        "the docs page leaves Swagger UI's validatorUrl at its default: browsers fetch "
        "https://validator.swagger.io/validator?url=<this API's spec URL>"
    )


# --- 7. Caching ------------------------------------------------------------------------------


def _assert_cacheable(reader, url: str) -> str:
    response = reader.get(url)
    assert response.status_code == 200, url
    etag = response.headers.get("ETag")
    assert etag, f"{url}: no ETag"
    assert response.headers.get("Cache-Control") == "public, max-age=60", url
    again = reader.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304, url
    assert again.get_data() == b"", url
    assert again.headers.get("ETag") == etag, f"{url}: a 304 repeats the ETag"
    assert again.headers.get("Cache-Control") == "public, max-age=60", url
    stale = reader.get(url, headers={"If-None-Match": '"not-the-current-one"'})
    assert stale.status_code == 200 and stale.headers["ETag"] == etag, url
    return etag


@pytest.mark.parametrize("rule", LIST_RULES)
def test_lists_are_cacheable(reader, rule: str) -> None:
    one = _assert_cacheable(reader, f"{rule}?page_size=1")
    two = _assert_cacheable(reader, f"{rule}?page_size=2")
    assert one != two, "another representation has another ETag"


@pytest.mark.parametrize("rule", DETAIL_RULES)
def test_details_are_cacheable(reader, rule: str) -> None:
    slugs = first_slugs(reader, rule.removesuffix("/<slug>"))
    assert len(slugs) == 2, f"{rule}: the test data needs two records"
    etags = [_assert_cacheable(reader, concrete(rule, slug)) for slug in slugs]
    assert etags[0] != etags[1]


def test_spec_is_cacheable(reader) -> None:
    _assert_cacheable(reader, f"{API}/openapi.json")


# --- 8. CORS ---------------------------------------------------------------------------------


def _header_set(response: TestResponse, name: str) -> set[str]:
    return {v.strip().lower() for v in response.headers.get(name, "").split(",") if v.strip()}


def test_public_reads_answer_any_origin(reader) -> None:
    urls = [f"{rule}?page_size=1" for rule in LIST_RULES]
    urls += [concrete(rule, first_slugs(reader, rule.removesuffix("/<slug>"), 1)[0]) for rule in DETAIL_RULES]
    urls += [f"{API}/openapi.json", f"{API}/practices/no-such-slug", f"{API}/practices?colour=blue"]
    for url in urls:
        response = reader.get(url, headers={"Origin": ORIGIN})
        assert response.headers.get("Access-Control-Allow-Origin") == "*", url
        assert {"etag", "link"} <= _header_set(response, "Access-Control-Expose-Headers"), url


@pytest.mark.parametrize("rule", [f"{API}/practices", f"{API}/practices/<slug>", f"{API}/rights"])
def test_read_preflight_is_answered(reader, rule: str) -> None:
    response = reader.options(concrete(rule, "madrid-droits-humains-des-migrants"), headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "If-None-Match",
    })
    assert 200 <= response.status_code < 300
    assert response.headers.get("Access-Control-Allow-Origin") == "*"
    assert "get" in _header_set(response, "Access-Control-Allow-Methods")
    assert "if-none-match" in _header_set(response, "Access-Control-Allow-Headers")


def test_writes_get_no_cors_by_default(reader) -> None:
    preflight = reader.options(f"{API}/practices", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type",
    })
    assert "Access-Control-Allow-Origin" not in preflight.headers, preflight.headers
    post = reader.post(f"{API}/practices", json={}, headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in post.headers, post.headers


def test_writes_get_cors_for_configured_origins_only(seeded_database_url) -> None:
    with own_app(seeded_database_url, CORS_WRITE_ORIGINS=["https://staff.example"]) as app:
        _check_write_cors(app.test_client())


def _check_write_cors(write_client: FlaskClient) -> None:
    def preflight(origin: str) -> TestResponse:
        return write_client.options(f"{API}/practices", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        })

    staff = preflight("https://staff.example")
    assert staff.headers.get("Access-Control-Allow-Origin") == "https://staff.example", staff.headers
    assert "post" in _header_set(staff, "Access-Control-Allow-Methods")
    assert {"authorization", "content-type"} <= _header_set(staff, "Access-Control-Allow-Headers")
    other = preflight("https://other.example")
    assert "Access-Control-Allow-Origin" not in other.headers, other.headers
    read = write_client.get(f"{API}/practices", headers={"Origin": "https://other.example"})
    assert read.headers.get("Access-Control-Allow-Origin") == "*", "reads stay open to every origin"


# --- 9. Pagination ---------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [1, 2])
@pytest.mark.parametrize("rule", LIST_RULES)
def test_walking_every_page_lists_everything_once(reader, rule: str, page_size: int) -> None:
    everything = reader.get(f"{rule}?page_size=100").json
    total = everything["total"]
    assert total == len(everything["items"]) >= 2, f"{rule}: the test data needs two records"
    pages = math.ceil(total / page_size)
    seen: list[str] = []
    url: str | None = f"{rule}?page_size={page_size}"
    number = 0
    while url is not None:
        number += 1
        assert number <= pages, f"{rule}: links.next goes past page {pages}"
        response = reader.get(url)
        assert response.status_code == 200, url
        body = response.json
        assert (body["page"], body["page_size"], body["total"], body["pages"]) == (number, page_size, total, pages)
        assert 1 <= len(body["items"]) <= page_size, url
        seen += [item["slug"] for item in body["items"]]
        links = body["links"]
        header = links_of(response)
        assert header == {rel: href for rel, href in links.items() if href}, "Link header = links"
        assert (links["prev"] is None) == (number == 1), url
        assert ("next" in header) == (number < pages), url
        url = links["next"]
    assert number == pages
    assert len(seen) == len(set(seen)) == total, f"{rule}: duplicates or gaps in {seen}"
    assert seen == [item["slug"] for item in everything["items"]], "pages keep the list's order"

    past = reader.get(f"{rule}?page_size={page_size}&page={pages + 1}")
    assert past.status_code == 200
    assert (past.json["items"], past.json["total"], past.json["pages"]) == ([], total, pages)
    assert past.json["links"]["next"] is None and "next" not in links_of(past)
