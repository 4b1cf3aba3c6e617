"""``api.remembered``: a practice list page or detail is built once per data version, then sent as kept —
same bytes, ETag and ``Link`` — until a write moves the version; what the caller may see is part of the key."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.api.remembered import Answer
from registry.extensions import db
from registry.services.read_cache import ANSWERS, ReadCache
from tests.api.practice_world import PUBLISHED
from tests.helpers import API, Staff, counting

LIST = f"{API}/practices?page_size=3&sort=title"
DETAIL = f"{API}/practices/{PUBLISHED[0]}"


def test_a_second_get_sends_the_kept_answer_after_one_statement(world: FlaskClient, world_app: Flask) -> None:
    client = world
    first = client.get(LIST)
    assert first.status_code == 200 and (ANSWERS.hits, ANSWERS.misses) == (0, 1)
    with counting(world_app) as statements:
        again = client.get(LIST)
    assert (ANSWERS.hits, ANSWERS.misses) == (1, 1)
    assert len(statements) == 1 and "changes" in statements[0]  # the data version, nothing else
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"] and again.headers["Link"] == first.headers["Link"]
    assert client.get(LIST, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_a_write_is_in_the_next_answer(world: FlaskClient) -> None:
    client, staff = world, Staff(world.application)
    before = client.get(DETAIL)
    list_before = client.get(f"{API}/practices?page_size=50").get_json()
    changed = client.patch(DETAIL, json={"start_year": 2011},
                           headers={**staff.admin, "If-Match": before.headers["ETag"]})
    assert changed.status_code == 200, changed.get_json()
    after = client.get(DETAIL)
    assert after.get_json()["start_year"] == 2011 and after.headers["ETag"] != before.headers["ETag"]
    listed = client.get(f"{API}/practices?page_size=50").get_json()
    (item,) = [item for item in listed["items"] if item["slug"] == PUBLISHED[0]]
    assert item["start_year"] == 2011 and listed != list_before
    assert ANSWERS.hits == 0  # every GET after the write was built afresh


def test_staff_and_the_public_get_their_own_answer_to_the_same_url(world: FlaskClient) -> None:
    client, staff = world, Staff(world.application)
    draft = client.post(f"{API}/practices", headers=staff.editor, json={
        "title": {"en": "Synthetic remembered draft (test data)"}, "original_language": "en",
        "lead_local_government": "madrid", "provenance": "Synthetic test data.",
    })
    assert draft.status_code == 201, draft.get_json()
    slug = draft.get_json()["slug"]
    url = f"{API}/practices?page_size=100"
    public = [item["slug"] for item in client.get(url).get_json()["items"]]
    seen_by_staff = [item["slug"] for item in client.get(url, headers=staff.editor).get_json()["items"]]
    assert slug in seen_by_staff and slug not in public
    assert slug not in [item["slug"] for item in client.get(url).get_json()["items"]]  # kept: still without it
    assert client.get(f"{API}/practices/{slug}", headers=staff.editor).status_code == 200
    assert client.get(f"{API}/practices/{slug}").status_code == 404


def test_a_problem_is_not_kept(world: FlaskClient) -> None:
    client = world
    assert client.get(f"{API}/practices/synthetic-nowhere").status_code == 404
    assert client.get(f"{API}/practices?sort=relevance").status_code == 400  # refused by the service
    assert len(ANSWERS) == 0


def test_the_links_are_written_for_the_host_asked(world: FlaskClient) -> None:
    client = world
    here = client.get(LIST).get_json()["links"]["self"]
    there = client.get(LIST, base_url="https://registry.example.org").get_json()["links"]["self"]
    assert here != there and there.startswith("https://registry.example.org/")


def answer_of(size: int) -> Answer:
    return Answer(b"x" * size, "etag", None)


def test_answers_are_kept_within_a_budget_of_bytes(world_app: Flask) -> None:
    cache = ReadCache(budget=100, weigh=lambda answer: len(answer.body))
    with world_app.app_context():
        session = db.session
        for key, size in (("a", 40), ("b", 40), ("c", 40)):
            cache.get(session, key, lambda size=size: answer_of(size))
        # "a", the least recently used, went to make room for "c".
        assert (len(cache), cache.weight) == (2, 80)
        cache.get(session, "b", lambda: answer_of(1))
        assert cache.hits == 1
        cache.get(session, "big", lambda: answer_of(101))  # over the whole budget: given, not kept
        assert (len(cache), cache.weight) == (2, 80)
        cache.get(session, "a", lambda: answer_of(70))
        assert (len(cache), cache.weight) == (1, 70)  # "c" and "b" went, oldest first


def test_a_budget_of_zero_keeps_nothing(world: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(world.application.config, "ANSWER_CACHE_BYTES", 0)
    first, again = world.get(LIST), world.get(LIST)
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Link"] == first.headers["Link"]
    assert (len(ANSWERS), ANSWERS.hits) == (0, 0)
