"""Writes to every collection besides practices: each from creation to deletion, and its versions.

Local governments are edited by editors; networks, organisations, sessions, questions and the reference
lists by admins. Requests go through the test client; the database itself is read to check them.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry import create_app
from tests.api.collection_cases import (
    ADMIN,
    BY_NAME,
    CASES,
    Case,
    created,
    delete,
    last_revision_id,
    patch,
    post,
    read,
    revisions,
    shown,
    url,
)
from tests.helpers import Staff, assert_problem


def test_every_editable_collection_is_covered() -> None:
    """Every collection that takes a POST (but practices and imports, tested on their own) has a case."""
    rules = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).url_map.iter_rules()
    collections = {rule.rule.split("/")[3] for rule in rules if "POST" in rule.methods and rule.rule.count("/") == 3}
    assert collections - {"practices", "imports"} == set(BY_NAME)


# --- Each collection, from creation to deletion ---------------------------------------------


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
