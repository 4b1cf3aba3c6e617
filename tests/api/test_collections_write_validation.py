"""Collection writes that are refused name every field at fault and write nothing; slugs and references."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.collection_cases import BY_NAME, LG, SESSION, created, db_state, patch, post, read, revisions, url
from tests.helpers import Staff, assert_invalid

# --- Validation -----------------------------------------------------------------------------


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
    ("rights", "housing", {"label": {"fr": None}}, 422, ["label.fr"]),
    ("rights", "housing", {"label": {"fr": ""}}, 422, ["label"]),
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
