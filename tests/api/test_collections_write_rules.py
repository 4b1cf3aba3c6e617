"""Collection writes: who may write what, and If-Match against lost updates and real races."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from registry.api import smorest
from registry.services import writes
from tests.api.collection_cases import (
    ADMIN_ONLY,
    BY_NAME,
    CASES,
    LG,
    Case,
    created,
    db_state,
    delete,
    patch,
    post,
    read,
    revisions,
    url,
)
from tests.helpers import Staff, assert_problem

# --- Roles ----------------------------------------------------------------------------------


def test_editors_create_and_update_local_governments_but_do_not_delete_them(
    seeded_app: Flask, client: FlaskClient, staff: Staff
) -> None:
    record = created(client, "local-governments", LG, staff.editor)
    updated = patch(client, "local-governments", "barcelona", {"website": "https://www.barcelona.cat/"},
                    staff.editor2)
    assert updated.status_code == 200 and updated.json["version"] == 2
    before = db_state(seeded_app)
    response = delete(client, "local-governments", "barcelona", staff.editor)
    assert_problem(response, 403)
    assert "WWW-Authenticate" not in response.headers
    assert db_state(seeded_app) == before
    assert read(client, "local-governments", "barcelona", staff.editor).json["version"] == 2
    assert [(a, who) for a, who, _ in revisions(seeded_app, "local_government", record["slug"])] == [
        ("create", "ana-editor"), ("update", "ben-editor")]
    assert delete(client, "local-governments", "barcelona", staff.admin).status_code == 204


@pytest.mark.parametrize("case", ADMIN_ONLY, ids=[c.name for c in ADMIN_ONLY])
def test_editors_cannot_write_admin_collections(seeded_app: Flask, client: FlaskClient, staff: Staff,
                                                case: Case) -> None:
    slug = case.seeded or created(client, case.name, {**case.body, "slug": "held"}, staff.admin)["slug"]
    etag = read(client, case.name, slug, staff.editor).headers["ETag"]
    before = db_state(seeded_app)
    for response in (
        post(client, case.name, case.body, staff.editor),
        client.patch(url(case.name, slug), json=case.change, headers={**staff.editor, "If-Match": etag}),
        client.delete(url(case.name, slug), headers={**staff.editor, "If-Match": etag}),
    ):
        assert_problem(response, 403)
        assert "WWW-Authenticate" not in response.headers
    assert db_state(seeded_app) == before


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("authorization", [None, "Token x", "Bearer", "Bearer prg_" + "x" * 43])
def test_writes_without_a_valid_token_are_a_401(seeded_app: Flask, client: FlaskClient, staff: Staff, case: Case,
                                                authorization: str | None) -> None:
    slug = case.seeded or created(client, case.name, {**case.body, "slug": "held"}, staff.admin)["slug"]
    etag = read(client, case.name, slug, staff.admin).headers["ETag"]
    headers = {"Authorization": authorization} if authorization else {}
    before = db_state(seeded_app)
    for response in (
        client.post(url(case.name), json=case.body, headers=headers),
        client.post(url(case.name), data="{nope", content_type="application/json", headers=headers),
        client.patch(url(case.name, slug), json=case.change, headers={**headers, "If-Match": etag}),
        client.delete(url(case.name, slug), headers={**headers, "If-Match": etag}),
    ):
        assert_problem(response, 401)
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), response.headers
    assert db_state(seeded_app) == before


# --- Concurrency ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_of_two_patches_on_one_version_the_second_is_a_412(
    seeded_app: Flask, client: FlaskClient, staff: Staff, case: Case
) -> None:
    slug = case.seeded or created(client, case.name, case.body, staff.admin)["slug"]
    seen = read(client, case.name, slug, staff.admin)
    assert read(client, case.name, slug, staff.editor).headers["ETag"] == seen.headers["ETag"]
    first = patch(client, case.name, slug, case.change, staff.admin, etag=seen.headers["ETag"])
    assert first.status_code == 200, first.get_data(as_text=True)
    before = db_state(seeded_app)
    assert_problem(patch(client, case.name, slug, {"original_language": "en"}, staff.admin,
                         etag=seen.headers["ETag"]), 412)
    assert_problem(delete(client, case.name, slug, staff.admin, etag=seen.headers["ETag"]), 412)
    assert db_state(seeded_app) == before
    assert read(client, case.name, slug, staff.admin).json == first.json


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_if_match_is_required_and_star_accepted(seeded_app: Flask, client: FlaskClient, staff: Staff,
                                                case: Case) -> None:
    slug = case.seeded or created(client, case.name, {**case.body, "slug": "held"}, staff.admin)["slug"]
    before = db_state(seeded_app)
    assert_problem(client.patch(url(case.name, slug), json=case.change, headers=staff.admin), 428)
    assert_problem(client.delete(url(case.name, slug), headers=staff.admin), 428)
    assert db_state(seeded_app) == before
    star = client.patch(url(case.name, slug), json=case.change, headers={**staff.admin, "If-Match": "*"})
    assert star.status_code == 200, star.get_data(as_text=True)
    # An unknown record is a 404, with or without a valid If-Match.
    assert_problem(client.patch(url(case.name, "no-such-record"), json=case.change,
                                headers={**staff.admin, "If-Match": "*"}), 404)
    assert_problem(client.delete(url(case.name, "no-such-record"), headers={**staff.admin, "If-Match": "*"}), 404)


def race(app: Flask, requests: list[tuple[str, str, Any, dict[str, str]]]) -> list[TestResponse]:
    """Send the requests at once, each from its own thread and client; their answers in order."""
    results: dict[int, TestResponse] = {}
    errors: list[BaseException] = []

    def send(index: int, method: str, path: str, body: Any, headers: dict[str, str]) -> None:
        try:
            results[index] = app.test_client().open(path, method=method, json=body, headers=headers)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return [results[i] for i in range(len(requests))]


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_real_race_one_wins_and_the_database_refuses_the_other(
    own_seeded_app: Flask, own_client: FlaskClient, own_staff: Staff, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Both requests pass the If-Match check on one version (a barrier holds each until the other has
    checked); only the database's version check can stop the second."""
    created(own_client, "networks", BY_NAME["networks"].body, own_staff.admin)
    etag = read(own_client, "networks", "zcn", own_staff.admin).headers["ETag"]
    barrier = threading.Barrier(2, timeout=10)
    checked = smorest.check_if_match

    def check_then_wait(*args: Any) -> None:
        checked(*args)
        barrier.wait()

    monkeypatch.setattr(smorest, "check_if_match", check_then_wait)
    bodies = [{"website": "https://a.example.org/"}, {"website": "https://b.example.org/"}] if method == "PATCH" \
        else [None, None]
    answers = race(own_seeded_app, [(method, url("networks", "zcn"), body, {**own_staff.admin, "If-Match": etag})
                                for body in bodies])
    monkeypatch.setattr(smorest, "check_if_match", checked)
    success = 200 if method == "PATCH" else 204
    assert sorted(a.status_code for a in answers) == [success, 412], [a.get_data(as_text=True) for a in answers]
    assert_problem(next(a for a in answers if a.status_code == 412), 412)
    actions = [action for action, _, _ in revisions(own_seeded_app, "network", "zcn")]
    assert actions == ["create", "update" if method == "PATCH" else "delete"], "one write recorded, not two"
    if method == "PATCH":
        winner = next(a for a in answers if a.status_code == 200)
        assert read(own_client, "networks", "zcn", own_staff.admin).json == winner.json
    else:
        assert_problem(own_client.get(url("networks", "zcn")), 404)


def test_two_posts_without_a_slug_at_once_both_get_one(
    own_seeded_app: Flask, own_client: FlaskClient, own_staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A own_client that sends no slug never hears of a slug clash: when two such POSTs pick the same free
    slug at once (a barrier holds each until the other has picked), both must still be created."""
    barrier = threading.Barrier(2, timeout=10)
    pick = writes.unique_slug
    first_picks = itertools.count()

    def pick_then_wait(*args: Any) -> str:
        slug = pick(*args)
        if next(first_picks) < 2:  # the two first picks meet; a retry picks again on its own
            barrier.wait()
        return slug

    monkeypatch.setattr(writes, "unique_slug", pick_then_wait)
    answers = race(own_seeded_app, [("POST", url("networks"), BY_NAME["networks"].body, own_staff.admin)] * 2)
    monkeypatch.setattr(writes, "unique_slug", pick)
    assert [a.status_code for a in answers] == [201, 201], [a.get_data(as_text=True) for a in answers]
    assert sorted(a.json["slug"] for a in answers) == ["zcn", "zcn-2"]
