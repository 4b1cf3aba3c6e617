"""Who may call each write route: every kind of token against every route of every collection."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.collection_cases import ADMIN_COLLECTIONS, EDITOR_COLLECTIONS
from tests.conftest import BACKENDS, SharedDatabases, isolated, layer
from tests.helpers import API, PRACTICES, assert_problem, bearer, create, etag_of, make_token, move, new_practice

TOKEN_KINDS = ["none", "scheme", "bare", "unknown", "expired", "revoked", "editor", "admin"]
UNAUTHENTICATED = {"none", "scheme", "bare", "unknown", "expired", "revoked"}

# route -> (status for an editor, status for an admin); every other kind of caller gets 401.
EXPECTED = {
    "create": (201, 201),
    "update": (200, 200),
    "delete": (403, 204),
    "submit": (200, 200),
    "publish": (403, 200),
    "restore": (403, 200),
    "revisions": (200, 200),
}


#: The matrix's tokens, by app: made once per module and engine, in the matrix's layer.
MATRIX_TOKENS: dict[Flask, dict[str, str]] = {}


@pytest.fixture(scope="module", params=BACKENDS)
def matrix_layer(request: pytest.FixtureRequest, databases: SharedDatabases) -> Iterator[Flask]:
    """The seeded database plus the matrix's tokens, once per engine: each case works on practices of its own."""
    app = databases.get(request.param, "seeded").app

    def make_tokens() -> None:
        MATRIX_TOKENS[app] = {
            "editor": make_token(app, "matrix-editor", "editor"),
            "admin": make_token(app, "matrix-admin", "admin"),
            "expired": make_token(app, "matrix-expired", "admin", expired=True),
            "revoked": make_token(app, "matrix-revoked", "admin", revoked=True),
        }

    yield from layer(request, databases, "seeded", make_tokens)
    del MATRIX_TOKENS[app]


@pytest.fixture
def shared_app(matrix_layer: Flask, databases: SharedDatabases, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The matrix's app, in a SAVEPOINT of this test's own."""
    with isolated(databases, matrix_layer, request):
        yield matrix_layer


def auth_header(app: Flask, kind: str) -> dict[str, str]:
    secrets = MATRIX_TOKENS[app]
    return {
        "none": {},
        "scheme": {"Authorization": f"Token {secrets['admin']}"},
        "bare": {"Authorization": "Bearer"},
        "unknown": bearer("prg_" + "x" * 43),
        "expired": bearer(secrets["expired"]),
        "revoked": bearer(secrets["revoked"]),
        "editor": bearer(secrets["editor"]),
        "admin": bearer(secrets["admin"]),
    }[kind]


def prepared(client: FlaskClient, app: Flask, route: str) -> tuple[str, str, dict[str, Any], dict[str, str]]:
    """A practice in the state the route acts on: (method, url, json, extra headers)."""
    admin = auth_header(app, "admin")
    slug = f"matrix-{uuid.uuid4().hex[:10]}"
    if route == "create":
        return "POST", PRACTICES, new_practice(f"Matrix {slug}"), {}
    create(client, admin, slug=slug, title=f"Matrix {slug}")
    url = f"{PRACTICES}/{slug}"
    if route == "publish":
        assert move(client, slug, "in_review", admin).status_code == 200
    if route == "restore":
        etag = etag_of(client, slug, admin)
        assert client.delete(url, headers={**admin, "If-Match": etag}).status_code == 204
    etag = {"If-Match": etag_of(client, slug, admin)} if route in {"update", "delete"} else {}
    return {
        "update": ("PATCH", url, {"start_year": 2018}, etag),
        "delete": ("DELETE", url, None, etag),
        "submit": ("POST", f"{url}/transitions", {"to": "in_review"}, {}),
        "publish": ("POST", f"{url}/transitions", {"to": "published"}, {}),
        "restore": ("POST", f"{url}/restore", None, {}),
        "revisions": ("GET", f"{url}/revisions", None, {}),
    }[route]


@pytest.mark.parametrize("kind", TOKEN_KINDS)
@pytest.mark.parametrize("route", list(EXPECTED))
def test_auth_matrix(shared_app: Flask, route: str, kind: str) -> None:
    client = shared_app.test_client()
    method, url, body, extra = prepared(client, shared_app, route)
    response = client.open(url, method=method, json=body, headers={**extra, **auth_header(shared_app, kind)})
    if kind in UNAUTHENTICATED:
        assert_problem(response, 401)
        challenge = response.headers.get("WWW-Authenticate", "")
        assert challenge.startswith("Bearer"), response.headers
        if kind in {"unknown", "expired", "revoked"}:
            assert 'error="invalid_token"' in challenge
        expected = 401
    else:
        expected = EXPECTED[route][kind == "admin"]
        if expected == 403:
            assert_problem(response, 403)
            assert "WWW-Authenticate" not in response.headers
        else:
            assert response.status_code == expected, response.get_data(as_text=True)
    # A refused request changes nothing.
    if expected in {401, 403} and route != "create":
        slug = url.removeprefix(f"{PRACTICES}/").split("/")[0]
        history = client.get(f"{PRACTICES}/{slug}/revisions", headers=auth_header(shared_app, "admin")).json
        assert history["items"][0]["action"] == {"publish": "status_change", "restore": "delete"}.get(route, "create")


#: Collections whose records carry a number from a closed range that the seeds fill: a new one needs a
#: number freed first, and updates and deletes act on an existing record.
NUMBERED = {"gcm-objectives", "gcm-principles"}


_SERIALS = itertools.count()
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def record_body(collection: str, slug: str, number: int = 0) -> tuple[dict[str, Any], str]:
    """A valid new record of ``collection`` with ``slug``; and the name of its main text field."""
    text = {"en": f"Matrix record {slug}"}
    # Codes and numbers no seeded record and no earlier case holds ('z' starts no real SDG target).
    serial = next(_SERIALS)
    goal = 1 + serial % 17
    common = {"slug": slug, "original_language": "en"}
    bodies = {
        "local-governments": ({"name": text, "kind": "municipality", "country": "ES", "m49_region": "150",
                               "m49_sub_region": "039"}, "name"),
        "rights": ({"label": text}, "label"),
        "target-groups": ({"label": text}, "label"),
        "practice-types": ({"label": text}, "label"),
        "gcm-objectives": ({"number": number, "short_title": text, "title": text}, "title"),
        "gcm-principles": ({"number": number, "title": text}, "title"),
        "sdg-targets": ({"code": f"{goal}.z{BASE36[serial // 17 % 36]}", "goal": goal, "title": text}, "title"),
        "networks": ({"name": text}, "name"),
        "organisations": ({"name": text, "kind": "other"}, "name"),
        "sessions": ({"title": text}, "title"),
        "questions": ({"session": "droits-humains-des-migrants", "number": 100 + serial, "text": text}, "text"),
    }
    body, field = bodies[collection]
    return {**common, **body}, field


def _last_record(client: FlaskClient, collection: str) -> dict[str, Any]:
    return client.get(f"{API}/{collection}?page_size=100").json["items"][-1]


def prepared_record(
    client: FlaskClient, app: Flask, collection: str, route: str, kind: str
) -> tuple[str, str, dict[str, Any] | None, dict[str, str]]:
    """(method, url, json, extra headers) for ``route`` on a record of ``collection`` it can act on."""
    admin = auth_header(app, "admin")
    slug = f"matrix-{uuid.uuid4().hex[:10]}"
    number = 0
    if collection in NUMBERED and route == "create" and kind == "admin":
        # Free a number for the admin's new record (no practice refers to the seeded objectives).
        freed = _last_record(client, collection)
        gone = client.delete(f"{API}/{collection}/{freed['slug']}", headers={**admin, "If-Match": "*"})
        assert gone.status_code == 204, gone.get_data(as_text=True)
        number = freed["number"]
    body, field = record_body(collection, slug, number)
    if route == "create":
        return "POST", f"{API}/{collection}", body, {}
    if collection in NUMBERED:
        slug = _last_record(client, collection)["slug"]
    else:
        made = client.post(f"{API}/{collection}", json=body, headers=admin)
        assert made.status_code == 201, made.get_data(as_text=True)
    url = f"{API}/{collection}/{slug}"
    etag = {"If-Match": client.get(url).headers["ETag"]}
    if route == "update":
        return "PATCH", url, {field: {"en": f"Changed by the matrix {uuid.uuid4().hex[:6]}"}}, etag
    if route == "revisions":
        return "GET", f"{url}/revisions", None, {}
    return "DELETE", url, None, etag


@pytest.mark.parametrize("kind", TOKEN_KINDS)
@pytest.mark.parametrize("route", ["create", "update", "delete", "revisions"])
@pytest.mark.parametrize("collection", sorted(EDITOR_COLLECTIONS) + ADMIN_COLLECTIONS)
def test_auth_matrix_of_the_other_collections(shared_app: Flask, collection: str, route: str, kind: str) -> None:
    client = shared_app.test_client()
    method, url, body, extra = prepared_record(client, shared_app, collection, route, kind)
    record_url = url.removesuffix("/revisions")
    before = None if route == "create" else client.get(record_url).json
    response = client.open(url, method=method, json=body, headers={**extra, **auth_header(shared_app, kind)})
    success = {"create": 201, "update": 200, "delete": 204, "revisions": 200}[route]
    if kind in UNAUTHENTICATED:
        assert_problem(response, 401)
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), response.headers
        expected = 401
    elif kind == "admin" or route == "revisions" or (
        kind == "editor" and collection in EDITOR_COLLECTIONS and route != "delete"
    ):
        assert response.status_code == success, response.get_data(as_text=True)
        expected = success
    else:
        assert_problem(response, 403)
        assert "WWW-Authenticate" not in response.headers
        expected = 403
    # A refused request changes nothing; an accepted one is visible at once.
    target = response.headers["Location"] if route == "create" and expected == 201 else record_url
    if route == "create" and expected != 201:
        target = f"{url}/{body['slug']}"
    after = client.get(target)
    if route == "revisions":
        assert after.json == before
        if expected == 200:
            assert response.json["items"][-1]["action"] == "create" and response.json["total"] >= 1
    elif expected in {401, 403}:
        assert after.status_code == 404 if route == "create" else after.json == before
    elif route == "delete":
        assert_problem(after, 404)
    else:
        assert after.status_code == 200 and after.json == response.json
        assert after.json["version"] == (1 if route == "create" else before["version"] + 1)


def test_a_refused_token_never_sees_drafts(shared_app: Flask) -> None:
    """A dead token on a read is a 401 (not a quiet downgrade to the public view)."""
    client = shared_app.test_client()
    for kind in ("scheme", "bare", "unknown", "expired", "revoked"):
        for url in (PRACTICES, f"{PRACTICES}/madrid-droits-humains-des-migrants"):
            response = client.get(url, headers=auth_header(shared_app, kind))
            assert_problem(response, 401)
            assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_token_check_comes_before_the_body_is_read(shared_app: Flask) -> None:
    client = shared_app.test_client()
    assert_problem(client.post(PRACTICES, json={"colour": "blue"}), 401)
    assert_problem(client.post(PRACTICES, data="{nope", content_type="application/json"), 401)
    slug = "madrid-droits-humains-des-migrants"
    assert_problem(client.post(f"{PRACTICES}/{slug}/restore", headers=auth_header(shared_app, "editor")), 403)
    assert_problem(client.delete(f"{PRACTICES}/{slug}", headers=auth_header(shared_app, "editor")), 403)


@pytest.mark.parametrize("route", ["update", "delete", "submit", "restore", "revisions"])
def test_write_routes_answer_404_for_an_unknown_practice(shared_app: Flask, route: str) -> None:
    client = shared_app.test_client()
    method, url, body, _ = prepared(client, shared_app, route)
    slug = url.removeprefix(f"{PRACTICES}/").split("/")[0]
    url = url.replace(slug, "no-such-practice")
    assert_problem(client.open(url, method=method, json=body,
                               headers={**auth_header(shared_app, "admin"), "If-Match": "*"}), 404)


@pytest.mark.parametrize("url", [f"{PRACTICES}/no-such-practice", f"{API}/networks/no-such-network",
                                 f"{API}/local-governments/madrid"])
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_if_match_is_asked_for_before_the_record_is_looked_up(shared_app: Flask, url: str, method: str) -> None:
    body = {} if method == "PATCH" else None  # an empty change is valid for every record
    response = shared_app.test_client().open(url, method=method, json=body, headers=auth_header(shared_app, "admin"))
    assert_problem(response, 428)
