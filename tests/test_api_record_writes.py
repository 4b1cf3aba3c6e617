"""Writes to every collection besides practices: local governments (editors), networks, organisations,
sessions, questions and the reference lists (admins), on every backend.

Each test gets a fresh seeded database. Requests go through the test client; what was (or was not)
written is checked in the database itself: the rows, their versions and the ``revisions`` table.
"""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from registry import create_app
from registry.api import smorest
from registry.extensions import db
from registry.models import (
    GcmObjective,
    GcmPrinciple,
    LocalGovernment,
    Network,
    Organisation,
    Person,
    PracticeType,
    Question,
    Revision,
    Right,
    SdgTarget,
    Session,
    SessionParticipant,
    TargetGroup,
)
from registry.models.base import Base
from registry.services import writes
from tests.test_api_writes import Staff, assert_invalid, assert_problem

API = "/api/v1"
ADMIN, EDITOR = "carla-admin", "ana-editor"  # the names Staff gives its tokens
SESSION = "droits-humains-des-migrants"


# --- The collections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One collection: a minimal valid new record, the slug the server makes for it, a change to it."""

    name: str  # URL segment
    kind: str  # Revision.entity_type
    model: type
    body: dict[str, Any]
    slug: str
    change: dict[str, Any]
    #: A seeded record to edit in the role and concurrency tests.
    seeded: str | None
    #: A seeded record to delete first, when the new one needs the number it holds (all are taken).
    make_room: str | None = None
    #: How body fields that name other records show in the representation: field -> the slug shown.
    refs: dict[str, str] = field(default_factory=dict)


CASES = [
    Case("local-governments", "local_government", LocalGovernment, {
        "name": {"ca": "Barcelona", "es": "Barcelona"}, "original_language": "ca", "kind": "municipality",
        "country": "ES", "m49_region": "150", "m49_sub_region": "039",
    }, "barcelona", {"website": "https://www.barcelona.cat/"}, "pikine"),
    Case("networks", "network", Network, {
        "name": {"en": "Zorblax Cities Network"}, "acronym": "ZCN", "original_language": "en",
    }, "zcn", {"website": "https://zcn.example.org/"}, "uclg"),
    Case("organisations", "organisation", Organisation, {
        "name": {"en": "Zorblax Legal Aid"}, "kind": "civil_society", "original_language": "en",
    }, "zorblax-legal-aid", {"country": "ES"}, None),
    Case("sessions", "session", Session, {
        "title": {"fr": "Séance zorblaxienne"}, "original_language": "fr",
    }, "seance-zorblaxienne", {"date": "2019-05-02"}, SESSION),
    Case("questions", "question", Question, {
        "session": SESSION, "number": 8, "original_language": "fr", "text": {"fr": "Une question zorblaxienne ?"},
    }, f"{SESSION}-q8", {"text": {"fr": "Une question reformulée ?", "en": "A reworded question?"}},
        f"{SESSION}-q1", refs={"session": SESSION}),
    Case("rights", "right", Right, {
        "label": {"en": "Right to zorblax"}, "original_language": "en",
    }, "right-to-zorblax", {"instruments": ["UDHR art. 99"]}, "housing"),
    Case("target-groups", "target_group", TargetGroup, {
        "label": {"en": "Zorblax nomads"}, "original_language": "en",
    }, "zorblax-nomads", {"description": {"en": "People who move.", "fr": "Des gens qui bougent."}}, "women"),
    Case("practice-types", "practice_type", PracticeType, {
        "label": {"en": "Zorblax counselling"}, "original_language": "en",
    }, "zorblax-counselling", {"description": {"en": "Advice.", "fr": "Des conseils."}}, "needs-assessment"),
    Case("gcm-objectives", "gcm_objective", GcmObjective, {
        "number": 23, "short_title": {"en": "Zorblax"}, "title": {"en": "Zorblax partnerships"},
        "original_language": "en",
    }, "gcm-objective-23", {"short_title": {"en": "Zorblaxing", "fr": "Zorblaxer"}}, "gcm-objective-1",
        make_room="gcm-objective-23"),
    Case("gcm-principles", "gcm_principle", GcmPrinciple, {
        "number": 10, "title": {"en": "Zorblax principle"}, "original_language": "en",
    }, "zorblax-principle", {"description": {"en": "A principle.", "fr": "Un principe."}}, "people-centred",
        make_room="whole-of-society-approach"),
    Case("sdg-targets", "sdg_target", SdgTarget, {
        "code": "11.2", "goal": 11, "title": {"en": "Zorblax transport"}, "original_language": "en",
    }, "11-2", {"title": {"en": "Safe transport", "fr": "Transports sûrs"}}, "10-7"),
]
BY_NAME = {case.name: case for case in CASES}
ADMIN_ONLY = [case for case in CASES if case.name != "local-governments"]
MODELS = [case.model for case in CASES]


def test_every_editable_collection_is_covered() -> None:
    rules = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).url_map.iter_rules()
    collections = {rule.rule.split("/")[3] for rule in rules if "POST" in rule.methods and rule.rule.count("/") == 3}
    assert collections - {"practices", "imports"} == set(BY_NAME)


# --- Helpers -----------------------------------------------------------------------------------


@pytest.fixture
def client(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


@pytest.fixture
def staff(seeded_app: Flask) -> Staff:
    return Staff(seeded_app)


def url(name: str, slug: str | None = None) -> str:
    return f"{API}/{name}" + (f"/{slug}" if slug else "")


def read(client: FlaskClient, name: str, slug: str, headers: dict[str, str]) -> TestResponse:
    response = client.get(url(name, slug), headers=headers)
    assert response.status_code == 200, f"GET {name}/{slug}: {response.get_data(as_text=True)[:300]}"
    return response


def post(client: FlaskClient, name: str, body: dict[str, Any], headers: dict[str, str]) -> TestResponse:
    return client.post(url(name), json=body, headers=headers)


def created(client: FlaskClient, name: str, body: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    response = post(client, name, body, headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def patch(client: FlaskClient, name: str, slug: str, changes: Any, headers: dict[str, str],
          etag: str | None = None) -> TestResponse:
    etag = etag or read(client, name, slug, headers).headers["ETag"]
    return client.patch(url(name, slug), json=changes, headers={**headers, "If-Match": etag})


def delete(client: FlaskClient, name: str, slug: str, headers: dict[str, str], etag: str | None = None) -> TestResponse:
    etag = etag or read(client, name, slug, headers).headers["ETag"]
    return client.delete(url(name, slug), headers={**headers, "If-Match": etag})


def db_state(app: Flask) -> dict[str, Any]:
    """Every table's row count, and every editable record's (slug, version): what a refusal must leave as it was."""
    with app.app_context():
        state: dict[str, Any] = {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }
        for model in MODELS:
            state[model.__name__] = sorted(db.session.execute(select(model.slug, model.version)).all())
        db.session.remove()
    return state


def revisions(app: Flask, kind: str, slug: str, after: int = 0) -> list[tuple[str, str, dict[str, Any]]]:
    """(action, actor, changes) of the record's revisions, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(Revision).where(Revision.entity_type == kind, Revision.entity_slug == slug, Revision.id > after)
            .order_by(Revision.id)
        ).all()
        history = [(r.action, r.actor, r.changes) for r in rows]
        db.session.remove()
    return history


def last_revision_id(app: Flask) -> int:
    with app.app_context():
        last = db.session.scalar(select(func.max(Revision.id))) or 0
        db.session.remove()
    return last


def shown(case: Case, body: dict[str, Any]) -> dict[str, Any]:
    """The body's fields as the representation shows them (records named by slug appear as references)."""
    return {key: value for key, value in body.items() if key not in case.refs}


def practice_slugs(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"{API}/practices?page_size=100&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["slug"] for item in response.json["items"]]


# --- 1. Each collection, from creation to deletion ---------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_record_from_creation_to_deletion(seeded_app: Flask, client: FlaskClient, staff: Staff, case: Case) -> None:
    if case.make_room:  # every number is taken: free one by deleting its holder
        assert delete(client, case.name, case.make_room, staff.admin).status_code == 204
    start = last_revision_id(seeded_app)
    address = url(case.name, case.slug)

    # Create: 201, the slug made as documented, Location, ETag, no-store.
    response = post(client, case.name, case.body, staff.admin)
    assert response.status_code == 201, response.get_data(as_text=True)
    record = response.json
    assert record["slug"] == case.slug
    assert response.headers["Location"].endswith(address)
    assert response.headers["ETag"]
    assert "no-store" in response.headers["Cache-Control"]
    assert record["version"] == 1
    assert {k: record[k] for k in shown(case, case.body)} == shown(case, case.body)
    for ref, slug in case.refs.items():
        assert record[ref]["slug"] == slug

    # Read back: what the POST answered, under the same ETag.
    again = read(client, case.name, case.slug, staff.admin)
    assert again.json == record
    assert again.headers["ETag"] == response.headers["ETag"]
    listed = client.get(f"{url(case.name)}?page_size=100", headers=staff.admin).json["items"]
    assert case.slug in [item["slug"] for item in listed]

    # Update one field: version 2, that field changed, every other left as it was.
    updated = patch(client, case.name, case.slug, case.change, staff.admin, etag=again.headers["ETag"])
    assert updated.status_code == 200, updated.get_data(as_text=True)
    assert updated.json == {**record, **case.change, "version": 2, "updated_at": updated.json["updated_at"]}
    assert updated.headers["ETag"] != again.headers["ETag"]
    assert "no-store" in updated.headers["Cache-Control"]
    reread = read(client, case.name, case.slug, staff.admin)
    assert reread.json == updated.json and reread.headers["ETag"] == updated.headers["ETag"]

    # Delete: 204, then it is gone.
    gone = delete(client, case.name, case.slug, staff.admin, etag=updated.headers["ETag"])
    assert gone.status_code == 204, gone.get_data(as_text=True)
    assert gone.get_data() == b""
    assert_problem(client.get(address, headers=staff.admin), 404)
    assert_problem(client.get(address), 404)

    # Each write left its revision, by the admin.
    history = revisions(seeded_app, case.kind, case.slug, after=start)
    assert [(action, actor) for action, actor, _ in history] == [
        ("create", ADMIN), ("update", ADMIN), ("delete", ADMIN)]
    assert history[0][2]["slug"] == {"old": None, "new": case.slug}
    field_name, value = next(iter(case.change.items()))
    assert history[1][2] == {field_name: {"old": record[field_name], "new": value}}
    assert history[2][2]["slug"] == {"old": case.slug, "new": None}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_seeded_record_changes_version_on_each_change_and_not_otherwise(
    seeded_app: Flask, client: FlaskClient, staff: Staff, case: Case
) -> None:
    slug = case.seeded or created(client, case.name, case.body, staff.admin)["slug"]
    before = read(client, case.name, slug, staff.admin)
    version = before.json["version"]
    first = patch(client, case.name, slug, case.change, staff.admin, etag=before.headers["ETag"])
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.json["version"] == version + 1
    history = len(revisions(seeded_app, case.kind, slug))

    # The same change again changes nothing: same version, same ETag, no revision.
    same = patch(client, case.name, slug, case.change, staff.admin, etag=first.headers["ETag"])
    assert same.status_code == 200, same.get_data(as_text=True)
    assert same.json["version"] == version + 1
    assert same.headers["ETag"] == first.headers["ETag"]
    assert len(revisions(seeded_app, case.kind, slug)) == history

    # An empty object is a no-op as well; no body at all is a 422.
    assert patch(client, case.name, slug, {}, staff.admin).json["version"] == version + 1
    response = client.patch(url(case.name, slug), headers={**staff.admin, "If-Match": "*"})
    assert_problem(response, 422)
    assert read(client, case.name, slug, staff.admin).json["version"] == version + 1


# --- 2. Validation -----------------------------------------------------------------------------

LG = BY_NAME["local-governments"].body
# (collection, body, fields the problem must name)
INVALID_POSTS = [
    ("local-governments", {**LG, "country": "XX"}, ["country"]),
    ("local-governments", {**LG, "m49_region": "999"}, ["m49_region"]),
    ("local-governments", {**LG, "m49_sub_region": "39"}, ["m49_sub_region"]),
    ("local-governments", {**LG, "latitude": 100, "longitude": 2}, ["latitude"]),
    ("local-governments", {**LG, "latitude": 41.4, "longitude": 200}, ["longitude"]),
    ("local-governments", {**LG, "latitude": 41.4}, ["latitude"]),
    ("local-governments", {**LG, "kind": "village"}, ["kind"]),
    ("local-governments", {**LG, "website": "barcelona.cat"}, ["website"]),
    ("local-governments", {**LG, "name": {"es": "Barcelona"}}, ["name"]),
    ("local-governments", {**LG, "slug": "Not A Slug"}, ["slug"]),
    ("local-governments", {**LG, "networks": ["uclg", "no-such-network"]}, ["networks"]),
    ("local-governments", {**LG, "parent": "no-such-place"}, ["parent"]),
    ("local-governments", {k: v for k, v in LG.items() if k not in {"kind", "country"}}, ["kind", "country"]),
    ("local-governments", {**LG, "country": "XX", "m49_region": "999", "colour": "blue"},
     ["country", "m49_region", "colour"]),
    ("networks", {**BY_NAME["networks"].body, "website": "ftp://x"}, ["website"]),
    ("networks", {**BY_NAME["networks"].body, "parent": "no-such-network"}, ["parent"]),
    ("networks", {**BY_NAME["networks"].body, "acronym": ""}, ["acronym"]),
    ("organisations", {**BY_NAME["organisations"].body, "kind": "cult"}, ["kind"]),
    ("organisations", {**BY_NAME["organisations"].body, "country": "es"}, ["country"]),
    ("sessions", {**BY_NAME["sessions"].body, "start_time": "15:00", "end_time": "14:00"}, ["end_time"]),
    ("sessions", {**BY_NAME["sessions"].body, "date": "2017-13-01"}, ["date"]),
    ("sessions", {**BY_NAME["sessions"].body, "questions": [
        {"number": 1, "original_language": "fr", "text": {"fr": "Une question ?"}}]}, ["questions"]),
    ("sessions", {**BY_NAME["sessions"].body, "participants": [{"person": "nobody-at-all", "role": "speaker"}]},
     ["participants[0].person"]),
    ("sessions", {**BY_NAME["sessions"].body, "participants": [{"person": "arruda", "role": "heckler"}]},
     ["participants"]),
    ("questions", {**BY_NAME["questions"].body, "number": 0}, ["number"]),
    ("questions", {**BY_NAME["questions"].body, "number": "8"}, ["number"]),
    ("questions", {**BY_NAME["questions"].body, "session": "no-such-session"}, ["session"]),
    ("questions", {k: v for k, v in BY_NAME["questions"].body.items() if k != "session"}, ["session"]),
    ("rights", {**BY_NAME["rights"].body, "label": {"fr": "Droit au zorblax"}}, ["label"]),
    ("rights", {**BY_NAME["rights"].body, "named_in_session": "yes"}, ["named_in_session"]),
    ("rights", {**BY_NAME["rights"].body, "parent": "no-such-right"}, ["parent"]),
    ("target-groups", {"original_language": "en"}, ["label"]),
    ("practice-types", {**BY_NAME["practice-types"].body, "label": {"en": ""}}, ["label"]),
    ("gcm-objectives", {**BY_NAME["gcm-objectives"].body, "number": 24}, ["number"]),
    ("gcm-objectives", {**BY_NAME["gcm-objectives"].body, "short_title": {"fr": "Zorblax"}}, ["short_title"]),
    ("gcm-principles", {**BY_NAME["gcm-principles"].body, "number": 11}, ["number"]),
    ("sdg-targets", {**BY_NAME["sdg-targets"].body, "goal": 10}, ["code"]),
    ("sdg-targets", {**BY_NAME["sdg-targets"].body, "code": "11.2.3"}, ["code"]),
    ("sdg-targets", {**BY_NAME["sdg-targets"].body, "goal": 18, "code": "18.1"}, ["goal"]),
]


@pytest.mark.parametrize(("name", "body", "fields"), INVALID_POSTS,
                         ids=[f"{n}-{'+'.join(f)}" for n, _, f in INVALID_POSTS])
def test_an_invalid_post_is_a_422_naming_each_field_and_writes_nothing(
    seeded_app: Flask, client: FlaskClient, staff: Staff, name: str, body: dict[str, Any], fields: list[str]
) -> None:
    before = db_state(seeded_app)
    assert_invalid(post(client, name, body, staff.admin), *fields)
    assert db_state(seeded_app) == before


# (collection, seeded slug, changes, status, fields the problem must name)
INVALID_PATCHES = [
    ("local-governments", "madrid", {"original_language": "de"}, 422, ["name"]),
    ("local-governments", "madrid", {"latitude": None}, 422, ["latitude"]),
    ("local-governments", "madrid", {"latitude": 100}, 422, ["latitude"]),
    ("local-governments", "madrid", {"country": "XX"}, 422, ["country"]),
    ("local-governments", "madrid", {"slug": "madrid-city"}, 422, ["slug"]),
    ("local-governments", "madrid", {"parent": "madrid"}, 422, ["parent"]),
    ("local-governments", "madrid", {"networks": ["no-such-network"]}, 422, ["networks"]),
    ("local-governments", "madrid", {"colour": "blue"}, 422, ["colour"]),
    ("networks", "uclg", {"parent": "uclg-cisdp"}, 422, ["parent"]),
    ("networks", "uclg", {"parent": "uclg"}, 422, ["parent"]),
    ("networks", "uclg-cisdp", {"parent": "no-such-network"}, 422, ["parent"]),
    ("networks", "uclg", {"website": "ftp://x"}, 422, ["website"]),
    ("sessions", SESSION, {"end_time": "14:00"}, 422, ["end_time"]),
    ("sessions", SESSION, {"questions": []}, 422, ["questions"]),
    ("sessions", SESSION, {"original_language": "de"}, 422, ["title"]),
    ("questions", f"{SESSION}-q1", {"number": 0}, 422, ["number"]),
    ("questions", f"{SESSION}-q1", {"session": "no-such-session"}, 422, ["session"]),
    ("questions", f"{SESSION}-q1", {"number": 2}, 409, ["number"]),
    ("rights", "housing", {"parent": "housing"}, 422, ["parent"]),
    ("rights", "housing", {"label": {"en": "Right to housing"}}, 422, ["label"]),
    ("gcm-objectives", "gcm-objective-1", {"number": 2}, 409, ["number"]),
    ("gcm-objectives", "gcm-objective-1", {"number": 24}, 422, ["number"]),
    ("gcm-principles", "people-centred", {"number": 2}, 409, ["number"]),
    ("sdg-targets", "10-7", {"goal": 8}, 422, ["code"]),
    ("sdg-targets", "10-7", {"code": "10.c"}, 409, ["code"]),
    ("target-groups", "women", {"label": None}, 422, ["label"]),
    ("practice-types", "needs-assessment", {"slug": "needs"}, 422, ["slug"]),
]


@pytest.mark.parametrize(("name", "slug", "changes", "status", "fields"), INVALID_PATCHES,
                         ids=[f"{n}-{s}-{'+'.join(c)}" for n, s, c, _, _ in INVALID_PATCHES])
def test_an_invalid_patch_is_refused_naming_the_field_and_writes_nothing(
    seeded_app: Flask, client: FlaskClient, staff: Staff,
    name: str, slug: str, changes: dict[str, Any], status: int, fields: list[str],
) -> None:
    before = db_state(seeded_app)
    assert_invalid(patch(client, name, slug, changes, staff.admin), *fields, status=status)
    assert db_state(seeded_app) == before


def test_a_cycle_below_a_record_is_refused(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    """Not only itself: a record cannot move below any of its descendants either."""
    created(client, "local-governments", {**LG, "parent": "madrid"}, staff.editor)
    created(client, "local-governments", {**LG, "name": {"ca": "Gràcia"}, "parent": "barcelona"}, staff.editor)
    before = db_state(seeded_app)
    errors = assert_invalid(patch(client, "local-governments", "madrid", {"parent": "gracia"}, staff.editor), "parent")
    assert "gracia" in json.dumps(errors)
    assert db_state(seeded_app) == before
    # A parent above is fine.
    moved = patch(client, "local-governments", "gracia", {"parent": "madrid"}, staff.editor)
    assert moved.status_code == 200 and moved.json["parent"]["slug"] == "madrid"


def test_a_patch_is_checked_as_the_whole_record_it_makes(client: FlaskClient, staff: Staff) -> None:
    """The valid counterparts of the merged-record refusals above."""
    madrid = read(client, "local-governments", "madrid", staff.editor).json
    german = patch(client, "local-governments", "madrid",
                   {"original_language": "de", "name": {**madrid["name"], "de": "Madrid"}}, staff.editor)
    assert german.status_code == 200, german.get_data(as_text=True)
    assert german.json["original_language"] == "de" and german.json["version"] == madrid["version"] + 1
    cleared = patch(client, "local-governments", "madrid", {"latitude": None, "longitude": None}, staff.editor)
    assert cleared.status_code == 200 and (cleared.json["latitude"], cleared.json["longitude"]) == (None, None)
    orphan = patch(client, "networks", "uclg-cisdp", {"parent": None}, staff.admin)
    assert orphan.status_code == 200 and orphan.json["parent"] is None
    # Once apart, uclg may sit below uclg-cisdp.
    assert patch(client, "networks", "uclg", {"parent": "uclg-cisdp"}, staff.admin).status_code == 200


@pytest.mark.parametrize("coordinate", ["latitude", "longitude"])
def test_one_coordinate_can_be_patched_when_the_record_has_the_other(
    seeded_app: Flask, client: FlaskClient, staff: Staff, coordinate: str
) -> None:
    """Madrid has both coordinates: moving it along one axis leaves a record with both, so it is valid."""
    madrid = read(client, "local-governments", "madrid", staff.editor).json
    assert madrid["latitude"] is not None and madrid["longitude"] is not None
    moved = patch(client, "local-governments", "madrid", {coordinate: 40.5}, staff.editor)
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert moved.json == {**madrid, coordinate: 40.5, "version": madrid["version"] + 1,
                          "updated_at": moved.json["updated_at"]}
    assert [action for action, _, _ in revisions(seeded_app, "local_government", "madrid")][-1] == "update"


@pytest.mark.parametrize("number", [2**31, 2**63], ids=["beyond-int32", "beyond-int64"])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_question_number_too_large_to_keep_is_a_422_naming_it(
    seeded_app: Flask, client: FlaskClient, staff: Staff, method: str, number: int
) -> None:
    """Every engine must answer alike, naming the field (the column is a 32-bit INTEGER on PostgreSQL)."""
    before = db_state(seeded_app)
    if method == "POST":
        response = post(client, "questions", {**BY_NAME["questions"].body, "number": number}, staff.admin)
    else:
        response = patch(client, "questions", f"{SESSION}-q1", {"number": number}, staff.admin)
    assert_invalid(response, "number")
    assert db_state(seeded_app) == before


# (collection, body whose unique value is taken, the field named)
CLASHES = [
    ("gcm-objectives", {**BY_NAME["gcm-objectives"].body, "number": 15}, "number"),
    ("gcm-objectives", {**BY_NAME["gcm-objectives"].body, "slug": "gcm-objective-99"}, "number"),
    ("gcm-principles", {**BY_NAME["gcm-principles"].body, "number": 6}, "number"),
    ("sdg-targets", {**BY_NAME["sdg-targets"].body, "code": "10.7", "goal": 10}, "code"),
    ("questions", {**BY_NAME["questions"].body, "number": 3}, "number"),
    ("questions", {**BY_NAME["questions"].body, "number": 3, "slug": "another-question"}, "number"),
    ("local-governments", {**LG, "slug": "madrid"}, "slug"),
    ("networks", {**BY_NAME["networks"].body, "slug": "uclg"}, "slug"),
    ("sessions", {**BY_NAME["sessions"].body, "slug": SESSION}, "slug"),
    ("rights", {**BY_NAME["rights"].body, "slug": "housing"}, "slug"),
    ("target-groups", {**BY_NAME["target-groups"].body, "slug": "women"}, "slug"),
    ("practice-types", {**BY_NAME["practice-types"].body, "slug": "needs-assessment"}, "slug"),
    ("sdg-targets", {**BY_NAME["sdg-targets"].body, "slug": "10-7"}, "slug"),
    ("questions", {**BY_NAME["questions"].body, "slug": f"{SESSION}-q1"}, "slug"),
]


@pytest.mark.parametrize(("name", "body", "field_name"), CLASHES,
                         ids=[f"{n}-{f}-{i}" for i, (n, _, f) in enumerate(CLASHES)])
def test_a_taken_slug_or_unique_value_is_a_409_naming_it(
    seeded_app: Flask, client: FlaskClient, staff: Staff, name: str, body: dict[str, Any], field_name: str
) -> None:
    before = db_state(seeded_app)
    assert_invalid(post(client, name, body, staff.admin), field_name, status=409)
    assert db_state(seeded_app) == before


def test_slugs_are_made_free_and_given_ones_kept(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    madrid = {**LG, "name": {"es": "Madrid"}, "original_language": "es"}
    assert created(client, "local-governments", madrid, staff.editor)["slug"] == "madrid-2"
    assert created(client, "local-governments", madrid, staff.editor)["slug"] == "madrid-3"
    # The original language's text makes the slug, accents folded.
    sao_tome = {**LG, "name": {"en": "Sao Tome city", "pt": "São Tomé"}, "original_language": "pt"}
    assert created(client, "local-governments", sao_tome, staff.editor)["slug"] == "sao-tome"
    # A network without an acronym is named after its name; a given slug is used as it is.
    network = {"name": {"en": "Zorblax Mayors Forum"}, "original_language": "en"}
    assert created(client, "networks", network, staff.admin)["slug"] == "zorblax-mayors-forum"
    assert created(client, "networks", {**network, "acronym": "UCLG"}, staff.admin)["slug"] == "uclg-2"
    assert created(client, "networks", {**network, "slug": "zmf"}, staff.admin)["slug"] == "zmf"
    assert created(client, "sdg-targets", {**BY_NAME["sdg-targets"].body, "code": "11.a"},
                   staff.admin)["slug"] == "11-a"
    question = created(client, "questions", {**BY_NAME["questions"].body, "number": 12}, staff.admin)
    assert question["slug"] == f"{SESSION}-q12" and question["session"]["slug"] == SESSION


def test_references_are_written_and_shown(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    body = {**LG, "parent": "madrid", "networks": ["uclg-cisdp", "uclg"], "latitude": 41.39, "longitude": 2.17}
    record = created(client, "local-governments", body, staff.editor)
    assert record["parent"]["slug"] == "madrid"
    assert sorted(n["slug"] for n in record["networks"]) == ["uclg", "uclg-cisdp"]
    assert (record["latitude"], record["longitude"]) == (41.39, 2.17)
    narrowed = patch(client, "local-governments", "barcelona", {"networks": ["uclg"]}, staff.editor)
    assert [n["slug"] for n in narrowed.json["networks"]] == ["uclg"]
    assert narrowed.json["parent"]["slug"] == "madrid", "fields not sent are left alone"
    listed = client.get(f"{url('local-governments')}?network=uclg-cisdp").json["items"]
    assert "barcelona" not in [item["slug"] for item in listed]

    session = created(client, "sessions", {**BY_NAME["sessions"].body, "participants": [
        {"person": "arruda", "role": "moderator"}, {"person": "berta-cao-menendez", "role": "speaker"}]},
        staff.admin)
    assert [(p["person"]["slug"], p["role"]) for p in session["participants"]] == [
        ("arruda", "moderator"), ("berta-cao-menendez", "speaker")]
    assert session["questions"] == []
    question = created(client, "questions", {**BY_NAME["questions"].body, "session": session["slug"], "number": 1},
                       staff.admin)
    assert question["slug"] == f"{session['slug']}-q1"
    assert [q["slug"] for q in read(client, "sessions", session["slug"], staff.admin).json["questions"]] == [
        question["slug"]]


# --- 3. Roles ----------------------------------------------------------------------------------


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


# --- 4. Concurrency ----------------------------------------------------------------------------


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
    seeded_app: Flask, client: FlaskClient, staff: Staff, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Both requests pass the If-Match check on one version (a barrier holds each until the other has
    checked); only the database's version check can stop the second."""
    created(client, "networks", BY_NAME["networks"].body, staff.admin)
    etag = read(client, "networks", "zcn", staff.admin).headers["ETag"]
    barrier = threading.Barrier(2, timeout=10)
    checked = smorest.check_if_match

    def check_then_wait(*args: Any) -> None:
        checked(*args)
        barrier.wait()

    monkeypatch.setattr(smorest, "check_if_match", check_then_wait)
    bodies = [{"website": "https://a.example.org/"}, {"website": "https://b.example.org/"}] if method == "PATCH" \
        else [None, None]
    answers = race(seeded_app, [(method, url("networks", "zcn"), body, {**staff.admin, "If-Match": etag})
                                for body in bodies])
    monkeypatch.setattr(smorest, "check_if_match", checked)
    success = 200 if method == "PATCH" else 204
    assert sorted(a.status_code for a in answers) == [success, 412], [a.get_data(as_text=True) for a in answers]
    assert_problem(next(a for a in answers if a.status_code == 412), 412)
    actions = [action for action, _, _ in revisions(seeded_app, "network", "zcn")]
    assert actions == ["create", "update" if method == "PATCH" else "delete"], "one write recorded, not two"
    if method == "PATCH":
        winner = next(a for a in answers if a.status_code == 200)
        assert read(client, "networks", "zcn", staff.admin).json == winner.json
    else:
        assert_problem(client.get(url("networks", "zcn")), 404)


def test_two_posts_without_a_slug_at_once_both_get_one(
    seeded_app: Flask, client: FlaskClient, staff: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client that sends no slug never hears of a slug clash: when two such POSTs pick the same free
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
    answers = race(seeded_app, [("POST", url("networks"), BY_NAME["networks"].body, staff.admin)] * 2)
    monkeypatch.setattr(writes, "unique_slug", pick)
    assert [a.status_code for a in answers] == [201, 201], [a.get_data(as_text=True) for a in answers]
    assert sorted(a.json["slug"] for a in answers) == ["zcn", "zcn-2"]


# --- 5. Deleting what others refer to ----------------------------------------------------------

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


# --- 6. Search follows a renamed local government ----------------------------------------------


def test_renaming_a_local_government_updates_practice_search(seeded_app: Flask, client: FlaskClient,
                                                             staff: Staff) -> None:
    practice = "pikine-droits-humains-des-migrants"
    assert practice_slugs(client, "q=zorblaxville") == []
    name = {"fr": "Zorblaxville", "en": "Zorblaxville"}
    renamed = patch(client, "local-governments", "pikine", {"name": name}, staff.editor)
    assert renamed.status_code == 200, renamed.get_data(as_text=True)
    assert renamed.json["name"] == name and renamed.json["slug"] == "pikine"
    assert practice_slugs(client, "q=zorblaxville") == [practice]
    assert practice_slugs(client, "q=zorblax*") == [practice]
    listed = client.get(f"{url('local-governments')}?q=zorblaxville").json["items"]
    assert [item["slug"] for item in listed] == ["pikine"]
    # And again: the index follows every rename, not only the first.
    patch(client, "local-governments", "pikine", {"name": {"fr": "Quuxbourg"}}, staff.editor)
    assert practice_slugs(client, "q=zorblaxville") == []
    assert practice_slugs(client, "q=quuxbourg") == [practice]


# --- 7. Idempotency-Key ------------------------------------------------------------------------


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


# --- 8. Revision history over HTTP -------------------------------------------------------------


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
