"""One error shape everywhere: unknown slugs, parameters, routes and methods, malformed and hostile values.

Routes are not listed by hand: every rule of the app is walked (``tests.api.routes``), so a new route gets
the same checks without touching this file.
"""

from __future__ import annotations

import pytest

from tests.api.routes import ALL_RULES, DETAIL_RULES, LIST_RULES, ROUTES_APP, _is_docs_asset, _rules, concrete
from tests.helpers import API, assert_problem

# --- One error shape everywhere ---------------------------------------------------------


@pytest.mark.parametrize("rule", DETAIL_RULES)
def test_unknown_slug_is_a_404_problem(reader, rule: str) -> None:
    body = assert_problem(reader.get(concrete(rule)), 404)
    assert "no-such-slug" in body.get("detail", "")


@pytest.mark.parametrize("rule", LIST_RULES)
def test_unknown_query_parameter_is_a_400_problem_naming_it(reader, rule: str) -> None:
    body = assert_problem(reader.get(f"{rule}?colour=blue&page=1"), 400)
    assert "colour" in body["errors"], body
    assert list(body["errors"]) == ["colour"], "only the unknown parameter is at fault"


RULE_METHODS = {r.rule: set(r.methods or ()) for r in _rules() if not _is_docs_asset(r)}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def test_the_api_has_write_routes_and_read_only_ones() -> None:
    """The 405 test below is only meaningful if both kinds exist."""
    assert any(set(WRITE_METHODS) & methods for methods in RULE_METHODS.values())
    assert any(not set(WRITE_METHODS) & methods for methods in RULE_METHODS.values())


# Routing answers these before any view runs, so they need no database.
@pytest.mark.parametrize("rule", ALL_RULES)
def test_methods_a_route_does_not_define_are_405_problems(rule: str) -> None:
    defined = RULE_METHODS[rule]
    undefined = [m for m in WRITE_METHODS if m not in defined]
    if "GET" not in defined:
        undefined.append("GET")
    assert undefined or set(WRITE_METHODS) <= defined, rule
    for method in undefined:
        response = ROUTES_APP.test_client().open(concrete(rule), method=method)
        assert_problem(response, 405)
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
        assert method not in allowed, (method, rule, response.headers)
        assert allowed >= defined - {"HEAD", "OPTIONS"}, (method, rule, response.headers)


@pytest.mark.parametrize("path", ["/nope", f"{API}/nope", f"{API}/practices/a/b", "/api/v2/practices", f"{API}/"])
def test_unknown_route_is_a_404_problem(path: str) -> None:
    assert_problem(ROUTES_APP.test_client().get(path), 404)


# --- Malformed values on /practices -------------------------------------------------------


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
