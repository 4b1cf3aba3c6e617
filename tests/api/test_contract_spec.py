"""The OpenAPI document: committed = generated, valid, complete; and the docs UI, which needs no third party."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from openapi_spec_validator import validate

from tests.api.routes import (
    DOCS_BLUEPRINT,
    HTTP_METHODS,
    LIST_RULES,
    ROUTES_APP,
    SPEC_EXCLUDED,
    SPEC_PATH,
    openapi_path,
    operations,
    resolve,
)
from tests.helpers import API, PROBLEM, PROBLEM_KEYS

# --- The OpenAPI document ---------------------------------------------------------------


def test_committed_spec_is_the_generated_one(spec) -> None:
    committed = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    assert committed == spec, "openapi/openapi.json is stale: run 'make spec'"


def test_spec_is_valid_openapi_3_1_under_cc_by(spec) -> None:
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    licence = spec["info"]["license"]
    assert "CC BY 4.0" in licence["name"]
    assert licence["url"] == "https://creativecommons.org/licenses/by/4.0/"


def test_every_route_is_in_the_spec_and_back(spec) -> None:
    """Every (path, method) the app serves is documented, and every documented one is served."""
    served: set[tuple[str, str]] = set()
    for rule in ROUTES_APP.url_map.iter_rules():
        if rule.endpoint in SPEC_EXCLUDED or rule.endpoint.startswith(f"{DOCS_BLUEPRINT}."):
            continue
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        served |= {(openapi_path(rule), m.lower()) for m in methods}
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


def test_every_operation_and_parameter_is_documented(spec) -> None:
    missing = []
    for path, method, operation, parameters in operations(spec):
        for key in ("summary", "description"):
            if not str(operation.get(key, "")).strip():
                missing.append(f"{method.upper()} {path}: no {key}")
        for parameter in map(lambda p: resolve(spec, p), parameters):
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
    assert resolve(spec, problem_ref)["properties"].keys() == PROBLEM_KEYS
    wrong = []
    for path, method, operation, _ in operations(spec):
        responses = operation["responses"]
        if responses.get("default") != {"$ref": "#/components/responses/DEFAULT_ERROR"}:
            wrong.append(f"{method.upper()} {path}: default is {responses.get('default')}")
        for status, response in responses.items():
            if status == "default" or int(status) >= 400:
                content = resolve(spec, response).get("content", {})
                if content.keys() != {PROBLEM} or content[PROBLEM]["schema"] != problem_ref:
                    wrong.append(f"{method.upper()} {path} {status}: {sorted(content)}")
    assert not wrong, "\n".join(wrong)


def _accepted_query_parameters(endpoint: str) -> set[str]:
    """What the view's argument schemas accept in the query string (whatever the spec says)."""
    view_class = getattr(ROUTES_APP.view_functions[endpoint], "view_class", None)
    get = getattr(view_class, "get", None) or ROUTES_APP.view_functions[endpoint]
    names: set[str] = set()
    for argument in getattr(get, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        if argument["in"] == "query":
            schema = argument["schema"]() if isinstance(argument["schema"], type) else argument["schema"]
            names |= {field.data_key or name for name, field in schema.fields.items() if not field.dump_only}
    return names


def test_every_query_parameter_the_api_accepts_is_in_the_spec(spec) -> None:
    """A partner reading the spec must see `page`, `q`, `right`... not only `If-None-Match`."""
    undocumented = {}
    for rule in ROUTES_APP.url_map.iter_rules():
        if rule.rule not in LIST_RULES:
            continue
        accepted = _accepted_query_parameters(rule.endpoint)
        assert {"page", "page_size"} <= accepted, rule.rule
        operation = spec["paths"][openapi_path(rule)]["get"]
        documented = {p["name"] for p in map(lambda p: resolve(spec, p), operation.get("parameters", []))
                      if p["in"] == "query"}
        if accepted - documented:
            undocumented[rule.rule] = sorted(accepted - documented)
    assert not undocumented, f"query parameters the API accepts but the spec does not show: {undocumented}"


# --- The docs UI --------------------------------------------------------------------------


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
    reader = ROUTES_APP.test_client()
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
    page = _docs_page(ROUTES_APP.test_client())
    config = json.loads(re.search(r"var user_config = (\{.*?\});", page).group(1))
    assert config.get("validatorUrl", "https://validator.swagger.io/validator") in (None, "none"), (
        "the docs page leaves Swagger UI's validatorUrl at its default: browsers fetch "
        "https://validator.swagger.io/validator?url=<this API's spec URL>"
    )
