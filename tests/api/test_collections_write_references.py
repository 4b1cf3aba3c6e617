"""Collection writes: deleting what others refer to, search after a rename, Idempotency-Key, history."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import (
    Person,
    SessionParticipant,
)
from tests.api.collection_cases import (
    ADMIN,
    BY_NAME,
    LG,
    SESSION,
    created,
    db_state,
    delete,
    patch,
    post,
    practice_slugs,
    read,
    url,
)
from tests.helpers import API, Staff, assert_invalid, assert_problem

# --- Deleting what others refer to ----------------------------------------------------------

# (collection, slug, what the problem must mention)
REFERRED = [
    ("local-governments", "madrid", ["practices", "people"]),
    ("local-governments", "sao-paulo", ["people"]),
    ("networks", "uclg", ["networks"]),
    ("networks", "uclg-cisdp", ["people"]),
    ("sessions", SESSION, ["questions"]),
]


@pytest.mark.parametrize(("name", "slug", "mentions"), REFERRED, ids=[f"{n}-{s}" for n, s, _ in REFERRED])
def test_a_record_still_referred_to_is_not_deleted(
    seeded_app: Flask, client: FlaskClient, staff: Staff, name: str, slug: str, mentions: list[str]
) -> None:
    seen = read(client, name, slug, staff.admin)
    before = db_state(seeded_app)
    errors = assert_invalid(delete(client, name, slug, staff.admin, etag=seen.headers["ETag"]), "slug", status=409)
    for what in mentions:
        assert what in " ".join(errors["slug"]), errors
    assert db_state(seeded_app) == before
    assert read(client, name, slug, staff.admin).json == seen.json


def test_a_question_linked_from_a_practice_is_not_deleted(seeded_app: Flask, client: FlaskClient,
                                                         staff: Staff) -> None:
    question = f"{SESSION}-q2"
    practice = {"title": {"en": "Zorblax question practice"}, "original_language": "en",
                "lead_local_government": "upala", "provenance": "Synthetic test data.", "questions": [question],
                "rights": ["housing"], "target_groups": ["women"], "gcm_objectives": ["gcm-objective-15"],
                "sdg_targets": ["10-7"]}
    assert client.post(f"{API}/practices", json=practice, headers=staff.editor).status_code == 201
    before = db_state(seeded_app)
    for name, slug in (("questions", question), ("rights", "housing"), ("target-groups", "women"),
                       ("gcm-objectives", "gcm-objective-15"), ("sdg-targets", "10-7")):
        errors = assert_invalid(delete(client, name, slug, staff.admin), "slug", status=409)
        assert "practice" in " ".join(errors["slug"]), (name, errors)
    assert db_state(seeded_app) == before


def test_membership_refuses_a_network_delete_and_goes_with_its_local_government(
    seeded_app: Flask, client: FlaskClient, staff: Staff
) -> None:
    created(client, "networks", BY_NAME["networks"].body, staff.admin)
    created(client, "local-governments", {**LG, "networks": ["zcn"]}, staff.editor)
    errors = assert_invalid(delete(client, "networks", "zcn", staff.admin), "slug", status=409)
    assert "local government" in " ".join(errors["slug"]), errors
    assert delete(client, "local-governments", "barcelona", staff.admin).status_code == 204
    assert delete(client, "networks", "zcn", staff.admin).status_code == 204
    assert_problem(client.get(url("networks", "zcn")), 404)


def test_deleting_a_session_takes_its_participants_and_leaves_the_people(
    seeded_app: Flask, client: FlaskClient, staff: Staff
) -> None:
    def participants() -> tuple[int, int]:
        with seeded_app.app_context():
            count = db.session.scalar(select(func.count()).select_from(SessionParticipant))
            people = db.session.scalar(select(func.count()).select_from(Person))
            db.session.remove()
        return count, people

    before = participants()
    session = created(client, "sessions", {**BY_NAME["sessions"].body, "participants": [
        {"person": "arruda", "role": "speaker"}]}, staff.admin)
    assert participants() == (before[0] + 1, before[1])
    assert delete(client, "sessions", session["slug"], staff.admin).status_code == 204
    assert participants() == before
    assert read(client, "sessions", SESSION, staff.admin).json["participants"]


# --- Search follows a renamed local government ----------------------------------------------


def test_renaming_a_local_government_updates_practice_search(seeded_app: Flask, client: FlaskClient,
                                                             staff: Staff) -> None:
    practice = "pikine-droits-humains-des-migrants"  # a draft stub: staff find it
    assert practice_slugs(client, "q=zorblaxville", staff.editor) == []
    name = {"fr": "Zorblaxville", "en": "Zorblaxville"}
    # A merge patch: the languages set to null go, the others given change.
    renamed = patch(client, "local-governments", "pikine", {"name": {**name, "es": None, "pt": None}}, staff.editor)
    assert renamed.status_code == 200, renamed.get_data(as_text=True)
    assert renamed.json["name"] == name and renamed.json["slug"] == "pikine"
    assert practice_slugs(client, "q=zorblaxville", staff.editor) == [practice]
    assert practice_slugs(client, "q=zorblax*", staff.editor) == [practice]
    listed = client.get(f"{url('local-governments')}?q=zorblaxville").json["items"]
    assert [item["slug"] for item in listed] == ["pikine"]
    # And again: the index follows every rename, not only the first.
    patch(client, "local-governments", "pikine", {"name": {"fr": "Quuxbourg", "en": None}}, staff.editor)
    assert practice_slugs(client, "q=zorblaxville", staff.editor) == []
    assert practice_slugs(client, "q=quuxbourg", staff.editor) == [practice]


# --- Idempotency-Key ------------------------------------------------------------------------


def test_an_idempotency_key_replays_a_network_post(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    body = BY_NAME["networks"].body
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = post(client, "networks", body, {**staff.admin, **key})
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    before = db_state(seeded_app)
    again = post(client, "networks", body, {**staff.admin, **key})
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_data() == first.get_data()
    assert again.headers["Location"] == first.headers["Location"]
    assert db_state(seeded_app) == before
    assert_invalid(post(client, "networks", {**body, "acronym": "ZCN2"}, {**staff.admin, **key}), "Idempotency-Key")
    # The same key on another collection is another request.
    assert_invalid(post(client, "organisations", BY_NAME["organisations"].body, {**staff.admin, **key}),
                   "Idempotency-Key")
    assert db_state(seeded_app) == before
    # Without the key, the same body makes another network.
    assert created(client, "networks", body, staff.admin)["slug"] == "zcn-2"


def test_a_replay_carries_the_first_answers_headers(client: FlaskClient, staff: Staff) -> None:
    key = {"Idempotency-Key": "replay-headers"}
    first = post(client, "networks", BY_NAME["networks"].body, {**staff.admin, **key})
    again = post(client, "networks", BY_NAME["networks"].body, {**staff.admin, **key})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers.get("ETag") == first.headers["ETag"], dict(again.headers)
    assert again.headers.get("Cache-Control") == first.headers["Cache-Control"] == "no-store", dict(again.headers)


def test_a_refused_post_leaves_no_idempotency_key(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    key = {"Idempotency-Key": "retry-after-fixing"}
    body = {**BY_NAME["sessions"].body, "end_time": "14:00", "start_time": "15:00"}
    assert_invalid(post(client, "sessions", body, {**staff.admin, **key}), "end_time")
    fixed = post(client, "sessions", {**body, "end_time": "16:00"}, {**staff.admin, **key})
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed.headers


# --- Revision history over HTTP -------------------------------------------------------------


def test_a_records_history_is_read_newest_first_and_outlives_its_delete(client: FlaskClient, staff: Staff) -> None:
    made = created(client, "networks", {"name": {"en": "Zorblax history network"}, "original_language": "en",
                                        "acronym": "ZHN"}, staff.admin)
    assert patch(client, "networks", made["slug"], {"website": "https://example.org/"}, staff.admin).status_code == 200
    assert delete(client, "networks", made["slug"], staff.admin).status_code == 204
    history = client.get(f"{url('networks', made['slug'])}/revisions", headers=staff.editor)
    assert history.status_code == 200, history.get_data(as_text=True)
    assert history.headers["Cache-Control"] == "private, no-store"
    items = history.json["items"]
    assert [i["action"] for i in items] == ["delete", "update", "create"] and history.json["total"] == 3
    assert {i["actor"] for i in items} == {ADMIN}
    assert items[1]["changes"] == {"website": {"old": None, "new": "https://example.org/"}}
    assert items[0]["changes"]["acronym"] == {"old": "ZHN", "new": None}
    # A seeded record's history starts with the seed; an unknown slug has none.
    seeded = client.get(f"{url('networks', 'uclg')}/revisions", headers=staff.editor).json["items"]
    assert [(i["action"], i["actor"]) for i in seeded] == [("create", "seed")]
    assert_problem(client.get(f"{url('networks', 'no-such-network')}/revisions", headers=staff.editor), 404)
    assert_problem(client.get(f"{url('networks', 'uclg')}/revisions"), 401)
