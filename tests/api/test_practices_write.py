"""Writing practices over HTTP (design.md §2 editorial, §3 writes): the narrative, then validation.

Tokens are made through the service (as the CLI does); requests go through the test client.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import (
    LEAD,
    PRACTICES,
    PRIVATE,
    Staff,
    assert_invalid,
    assert_problem,
    create,
    etag_of,
    facet_count,
    lead_count,
    list_slugs,
    move,
    new_practice,
)

# --- The narrative --------------------------------------------------------------------------


def test_a_practice_from_draft_to_deletion_and_back(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    title = "Zorblaxian humanitarian reception"
    body = new_practice(title, original_language="en", rights=["housing"])
    body["title"] = {"en": title, "fr": "Accueil humanitaire zorblaxien"}
    public_before = (lead_count(client), facet_count(client, "local_government", LEAD))

    # Create: a draft, with its slug made from the title in the original language.
    created = client.post(PRACTICES, json=body, headers=staff.editor)
    assert created.status_code == 201, created.get_data(as_text=True)
    slug = "zorblaxian-humanitarian-reception"
    url = f"{PRACTICES}/{slug}"
    assert created.headers["Location"].endswith(url)
    assert created.headers["ETag"]
    practice = created.json
    assert (practice["slug"], practice["status"], practice["version"]) == (slug, "draft", 1)
    assert practice["title"] == body["title"] and practice["published_at"] is None
    assert [r["slug"] for r in practice["rights"]] == ["housing"]
    assert practice["lead_local_government"]["slug"] == LEAD

    # The same title again: a free slug of its own.
    twin = client.post(PRACTICES, json=body, headers=staff.editor)
    assert twin.status_code == 201
    assert twin.json["slug"] == f"{slug}-2"
    assert twin.headers["Location"].endswith(f"{url}-2")

    # Read: staff see the draft; the public does not know it exists.
    read = client.get(url, headers=staff.editor)
    assert read.status_code == 200
    assert read.json == practice
    assert read.headers["ETag"] == created.headers["ETag"], "the POST's ETag is the one a GET gives"
    assert read.headers["Cache-Control"] == PRIVATE
    assert_problem(client.get(url), 404)
    etag = read.headers["ETag"]

    # Conditional read.
    same = client.get(url, headers={**staff.editor, "If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b""

    # Update without If-Match, then with a stale one.
    change = {"start_year": 2016, "summary": {"en": "A reception run by the city."}}
    assert_problem(client.patch(url, json=change, headers=staff.editor), 428)
    assert_problem(client.patch(url, json=change, headers={**staff.editor, "If-Match": '"stale"'}), 412)
    assert client.get(url, headers=staff.editor).json["version"] == 1, "a refused update changes nothing"

    # Update.
    updated = client.patch(url, json=change, headers={**staff.editor, "If-Match": etag})
    assert updated.status_code == 200, updated.get_data(as_text=True)
    assert updated.json["version"] == 2
    assert updated.json["start_year"] == 2016 and updated.json["summary"] == change["summary"]
    assert updated.json["title"] == body["title"], "fields not sent are left alone"
    assert updated.headers["ETag"] and updated.headers["ETag"] != etag
    assert client.get(url, headers=staff.editor).headers["ETag"] == updated.headers["ETag"]
    assert_problem(client.patch(url, json={"start_year": 2017}, headers={**staff.editor2, "If-Match": etag}), 412)

    # Review and publication.
    in_review = move(client, slug, "in_review", staff.editor)
    assert in_review.status_code == 200 and in_review.json["status"] == "in_review"
    assert in_review.json["version"] == 3
    assert_problem(client.get(url), 404)
    published = client.post(f"{url}/transitions", json={"to": "published", "note": "Checked."}, headers=staff.admin)
    assert published.status_code == 200, published.get_data(as_text=True)
    assert published.json["status"] == "published" and published.json["published_at"]
    assert published.json["version"] == 4

    # Now public, everywhere.
    public = client.get(url)
    assert public.status_code == 200 and public.headers["Cache-Control"] == "public, max-age=60"
    assert public.json["status"] == "published"
    assert slug in list_slugs(client)
    assert slug in list_slugs(client, "q=zorblaxian")
    assert (lead_count(client), facet_count(client, "local_government", LEAD)) == (
        public_before[0] + 1, public_before[1] + 1)

    # The history, newest first, with who did what.
    revisions = client.get(f"{url}/revisions", headers=staff.editor)
    assert revisions.status_code == 200, revisions.get_data(as_text=True)
    assert revisions.headers["Cache-Control"] == PRIVATE
    items = revisions.json["items"]
    assert revisions.json["total"] == 4
    assert [(r["action"], r["actor"]) for r in items] == [
        ("status_change", "carla-admin"), ("status_change", "ana-editor"), ("update", "ana-editor"),
        ("create", "ana-editor"),
    ]
    assert items[0]["changes"]["status"] == {"old": "in_review", "new": "published"}
    assert items[0]["note"] == "Checked."
    assert items[1]["changes"]["status"] == {"old": "draft", "new": "in_review"}
    assert items[2]["changes"]["start_year"] == {"old": None, "new": 2016}
    assert items[2]["changes"]["summary"] == {"old": None, "new": change["summary"]}
    assert "title" not in items[2]["changes"], "only the changed fields"
    assert items[3]["changes"]["title"]["new"] == body["title"]
    times = [r["created_at"] for r in items]
    assert times == sorted(times, reverse=True)

    # Delete (an admin, with If-Match): gone from every answer.
    etag = client.get(url, headers=staff.admin).headers["ETag"]
    assert_problem(client.delete(url, headers=staff.admin), 428)
    assert_problem(client.delete(url, headers={**staff.admin, "If-Match": '"stale"'}), 412)
    deleted = client.delete(url, headers={**staff.admin, "If-Match": etag})
    assert deleted.status_code == 204 and deleted.get_data() == b""
    for headers in ({}, staff.editor, staff.admin):
        assert_problem(client.get(url, headers=headers), 404)
        assert slug not in list_slugs(client, headers=headers)
        assert slug not in list_slugs(client, "q=zorblaxian", headers=headers)
    assert (lead_count(client), facet_count(client, "local_government", LEAD)) == public_before
    assert_problem(client.patch(url, json=change, headers={**staff.editor, "If-Match": "*"}), 404)

    # Restore: back, as published, with its history and a new version.
    restored = client.post(f"{url}/restore", headers=staff.admin)
    assert restored.status_code == 200, restored.get_data(as_text=True)
    assert restored.json["status"] == "published" and restored.json["version"] == 6
    assert client.get(url).status_code == 200
    assert (lead_count(client), facet_count(client, "local_government", LEAD)) == (
        public_before[0] + 1, public_before[1] + 1)
    history = client.get(f"{url}/revisions", headers=staff.editor).json["items"]
    assert [r["action"] for r in history] == ["restore", "delete", "status_change", "status_change", "update", "create"]
    assert history[1]["actor"] == history[0]["actor"] == "carla-admin"
    assert history[1]["changes"]["deleted_at"]["old"] is None and history[1]["changes"]["deleted_at"]["new"]
    assert history[0]["changes"]["deleted_at"]["new"] is None
    assert_invalid(client.post(f"{url}/restore", headers=staff.admin), "slug", status=409)


def test_revisions_of_a_deleted_practice_stay_readable(client: FlaskClient, staff: Staff) -> None:
    slug = create(client, staff.editor, title="Short lived practice")["slug"]
    url = f"{PRACTICES}/{slug}"
    etag = etag_of(client, slug, staff.admin)
    assert client.delete(url, headers={**staff.admin, "If-Match": etag}).status_code == 204
    history = client.get(f"{url}/revisions", headers=staff.editor)
    assert history.status_code == 200
    assert [r["action"] for r in history.json["items"]] == ["delete", "create"]


# --- Validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fields", "mentions"),
    [
        ({"colour": "blue"}, ["colour"], None),
        ({"status": "published"}, ["status"], None),
        ({"version": 7}, ["version"], None),
        ({"created_at": "2020-01-01T00:00:00Z"}, ["created_at"], None),
        ({"published_at": "2020-01-01T00:00:00Z"}, ["published_at"], None),
        ({"updated_at": "2020-01-01T00:00:00Z", "deleted_at": None}, ["updated_at", "deleted_at"], None),
        ({"slug": "Not A Slug"}, ["slug"], None),
        ({"slug": "a--b"}, ["slug"], None),
        ({"lead_local_government": "atlantis"}, ["lead_local_government"], "atlantis"),
        ({"rights": ["housing", "houssing"]}, ["rights"], "houssing"),
        ({"target_groups": ["martians"]}, ["target_groups"], "martians"),
        ({"partner_local_governments": ["atlantis"]}, ["partner_local_governments"], "atlantis"),
        ({"session": "no-such-session"}, ["session"], "no-such-session"),
        ({"title": {"en": "Only in English"}}, ["title"], None),
        ({"summary": {"en": "Only in English"}}, ["summary"], None),
        ({"original_language": "french"}, ["original_language"], None),
        ({"title": {"fr": "Titre", "FR1": "x"}}, ["title"], None),
        ({"sources": [{"title": "A report", "url": "ftp://example.org/x", "kind": "report"}]}, ["sources"], "url"),
        ({"sources": [{"title": "A report", "url": "not a url", "kind": "report"}]}, ["sources"], "url"),
        ({"start_year": 2020, "end_year": 2010}, ["end_year"], None),
        ({"start_year": 1492}, ["start_year"], None),
        ({"start_year": "2016"}, ["start_year"], None),
        # The spec says boolean: 0 and "yes" are not booleans.
        ({"funding_independent_of_state": 0}, ["funding_independent_of_state"], None),
        ({"funding_independent_of_state": "yes"}, ["funding_independent_of_state"], None),
    ],
)
def test_create_names_every_invalid_field(client: FlaskClient, staff: Staff, changes, fields, mentions) -> None:
    before = list_slugs(client, headers=staff.editor)
    assert_invalid(client.post(PRACTICES, json={**new_practice(), **changes}, headers=staff.editor),
                   *fields, mentions=mentions)
    assert list_slugs(client, headers=staff.editor) == before, "nothing is written"


def test_every_missing_field_is_named_at_once(client: FlaskClient, staff: Staff) -> None:
    errors = assert_invalid(client.post(PRACTICES, json={}, headers=staff.editor),
                            "title", "original_language", "lead_local_government", "provenance")
    assert "slug" not in errors, "the slug is optional"


def test_a_taken_slug_is_a_409(client: FlaskClient, staff: Staff) -> None:
    create(client, staff.editor, slug="my-own-slug")
    assert_invalid(client.post(PRACTICES, json=new_practice(slug="my-own-slug"), headers=staff.editor),
                   "slug", status=409, mentions="my-own-slug")
    # A seeded (published) practice's slug, and a deleted one's, are taken too.
    assert_invalid(client.post(PRACTICES, json=new_practice(slug="madrid-droits-humains-des-migrants"),
                               headers=staff.editor), "slug", status=409)
    etag = etag_of(client, "my-own-slug", staff.admin)
    assert client.delete(f"{PRACTICES}/my-own-slug", headers={**staff.admin, "If-Match": etag}).status_code == 204
    assert_invalid(client.post(PRACTICES, json=new_practice(slug="my-own-slug"), headers=staff.editor),
                   "slug", status=409)


def test_a_given_slug_is_kept(client: FlaskClient, staff: Staff) -> None:
    practice = create(client, staff.editor, slug="chosen-slug-2016")
    assert practice["slug"] == "chosen-slug-2016"


@pytest.mark.parametrize(
    ("changes", "fields", "mentions"),
    [
        ({"slug": "another-slug"}, ["slug"], None),
        ({"status": "published"}, ["status"], None),
        ({"version": 9}, ["version"], None),
        ({"created_at": "2020-01-01T00:00:00Z"}, ["created_at"], None),
        ({"published_at": "2020-01-01T00:00:00Z"}, ["published_at"], None),
        ({"colour": "blue"}, ["colour"], None),
        ({"rights": ["houssing"]}, ["rights"], "houssing"),
        ({"lead_local_government": "atlantis"}, ["lead_local_government"], "atlantis"),
        ({"title": {"fr": None}}, ["title.fr"], None),
        ({"original_language": "en"}, ["title"], None),
        ({"end_year": 2001}, ["end_year"], None),
        ({"start_year": 2031}, ["end_year"], None),
        ({"original_language": "FR"}, ["original_language"], None),
        ({"sources": [{"title": "A page", "url": "javascript:alert(1)", "kind": "web_page"}]}, ["sources"], "url"),
        ({"title": None}, ["title"], None),
    ],
)
def test_update_names_every_invalid_field(client: FlaskClient, staff: Staff, changes, fields, mentions) -> None:
    """Checked against the whole record the update would make (a PATCH of only `end_year`, or only
    `original_language`, meets the rest of the record)."""
    slug = create(client, staff.editor, start_year=2010, end_year=2020)["slug"]
    url = f"{PRACTICES}/{slug}"
    etag = etag_of(client, slug, staff.editor)
    assert_invalid(client.patch(url, json=changes, headers={**staff.editor, "If-Match": etag}),
                   *fields, mentions=mentions)
    after = client.get(url, headers=staff.editor)
    assert after.headers["ETag"] == etag and after.json["version"] == 1, "nothing is written"


def test_an_empty_update_changes_nothing(client: FlaskClient, staff: Staff) -> None:
    slug = create(client, staff.editor)["slug"]
    url = f"{PRACTICES}/{slug}"
    etag = etag_of(client, slug, staff.editor)
    same = client.patch(url, json={}, headers={**staff.editor, "If-Match": etag})
    assert same.status_code == 200 and same.json["version"] == 1 and same.headers["ETag"] == etag
    assert client.get(f"{url}/revisions", headers=staff.editor).json["total"] == 1


def test_a_patch_without_a_body_is_answered_as_the_spec_says(client: FlaskClient, staff: Staff, spec) -> None:
    """The spec marks the PATCH body `required`: then a PATCH with no body at all must be refused
    (422), not taken as an empty update (or the spec must say the body is optional)."""
    slug = create(client, staff.editor)["slug"]
    etag = etag_of(client, slug, staff.editor)
    response = client.patch(f"{PRACTICES}/{slug}", headers={**staff.editor, "If-Match": etag})
    required = spec["paths"]["/api/v1/practices/{slug}"]["patch"]["requestBody"].get("required", False)
    if required:
        assert_problem(response, 422)
    else:
        assert response.status_code == 200


def test_a_valid_update_of_related_records(client: FlaskClient, staff: Staff) -> None:
    slug = create(client, staff.editor, rights=["housing"])["slug"]
    url = f"{PRACTICES}/{slug}"
    etag = etag_of(client, slug, staff.editor)
    changes = {"rights": ["food", "housing"], "original_language": "en",
               "title": {"en": "Municipal reception", "fr": "Accueil humanitaire municipal"},
               "sources": [{"title": "The city's report", "url": "https://example.org/report", "kind": "report"}]}
    updated = client.patch(url, json=changes, headers={**staff.editor, "If-Match": etag})
    assert updated.status_code == 200, updated.get_data(as_text=True)
    assert sorted(r["slug"] for r in updated.json["rights"]) == ["food", "housing"]
    assert updated.json["original_language"] == "en" and updated.json["slug"] == slug
    assert updated.json["sources"][0]["url"] == "https://example.org/report"
    latest = client.get(f"{url}/revisions", headers=staff.editor).json["items"][0]
    assert latest["action"] == "update"
    assert latest["changes"]["rights"] == {"old": ["housing"], "new": ["food", "housing"]}
