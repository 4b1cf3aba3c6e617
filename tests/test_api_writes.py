"""The editorial (write) side of the API (design.md §2 editorial, §3 writes and auth), on every backend.

Tokens are made through the domain (as the CLI does); requests go through the test client. Tests
that write get a fresh seeded database each; the auth matrix and the spec checks share one per
module and backend, each case working on practices of its own.
"""

from __future__ import annotations

import itertools
import json
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from registry.api import smorest
from registry.extensions import db
from registry.models import Practice
from registry.models.base import utcnow
from registry.services.tokens import create_token, revoke_token
from tests.conftest import BACKENDS, PostgresServer, Templates, _copy_of, make_app

API = "/api/v1"
PRACTICES = f"{API}/practices"
PROBLEM = "application/problem+json"
SYNTHETIC = "Synthetic test data: invented for the registry's tests; it describes nothing real."
LEAD = "madrid"
PRIVATE = "private, no-store"


# --- Helpers -----------------------------------------------------------------------------------


def make_token(app: Flask, name: str, role: str, *, expired: bool = False, revoked: bool = False) -> str:
    """A token made through the domain (as the CLI makes it); its secret."""
    with app.app_context():
        new = create_token(db.session, name, role, None)
        if expired:
            new.token.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        if revoked:
            revoke_token(db.session, name)
            db.session.commit()
        db.session.remove()
    return new.secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


class Staff:
    """The usual tokens of a test: two editors and an admin, plus dead ones for the 401s."""

    def __init__(self, app: Flask, suffix: str = "") -> None:
        self.editor = bearer(make_token(app, f"ana-editor{suffix}", "editor"))
        self.editor2 = bearer(make_token(app, f"ben-editor{suffix}", "editor"))
        self.admin = bearer(make_token(app, f"carla-admin{suffix}", "admin"))


def assert_problem(response: TestResponse, status: int) -> dict[str, Any]:
    where = f"{response.request.method} {response.request.path}"
    assert response.status_code == status, f"{where}: {response.status_code} {response.get_data(as_text=True)[:500]}"
    assert response.mimetype == PROBLEM, f"{where}: {response.content_type}"
    body = json.loads(response.get_data(as_text=True))
    assert body["status"] == status and body["title"] and body["type"], body
    assert set(body) <= {"type", "title", "status", "detail", "errors"}, body
    return body


def assert_invalid(response: TestResponse, *fields: str, status: int = 422, mentions: str | None = None) -> dict:
    """A validation problem whose ``errors`` name each of ``fields`` (and, optionally, a value)."""
    body = assert_problem(response, status)
    errors = body.get("errors") or {}
    for field in fields:
        assert field in errors, f"{field!r} not named in {errors}"
    if mentions is not None:
        assert mentions in json.dumps(errors, ensure_ascii=False), f"{mentions!r} not in {errors}"
    return errors


def new_practice(title: str = "Accueil humanitaire municipal", **extra: Any) -> dict[str, Any]:
    return {
        "title": {"fr": title}, "original_language": "fr", "lead_local_government": LEAD,
        "provenance": SYNTHETIC, **extra,
    }


def create(client: FlaskClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = client.post(PRACTICES, json=new_practice(**fields), headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def etag_of(client: FlaskClient, slug: str, headers: dict[str, str]) -> str:
    response = client.get(f"{PRACTICES}/{slug}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.headers["ETag"]


def move(client: FlaskClient, slug: str, to: str, headers: dict[str, str]) -> TestResponse:
    return client.post(f"{PRACTICES}/{slug}/transitions", json={"to": to}, headers=headers)


def list_slugs(client: FlaskClient, query: str = "", headers: dict[str, str] | None = None) -> list[str]:
    response = client.get(f"{PRACTICES}?page_size=100&{query}", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["total"] <= 100
    return [item["slug"] for item in response.json["items"]]


def facet_count(client: FlaskClient, facet: str, value: str, headers: dict[str, str] | None = None) -> int:
    response = client.get(f"{PRACTICES}?page_size=1&facets={facet}", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return next((f["count"] for f in response.json["facets"][facet] if f["value"] == value), 0)


def lead_count(client: FlaskClient) -> int:
    response = client.get(f"{API}/local-governments/{LEAD}")
    assert response.status_code == 200
    return response.json["practice_count"]


def practice_rows(app: Flask, slug_prefix: str) -> list[str]:
    with app.app_context():
        slugs = list(db.session.scalars(db.select(Practice.slug).where(Practice.slug.like(f"{slug_prefix}%"))))
        db.session.remove()
    return slugs


@pytest.fixture
def staff(seeded_app: Flask) -> Staff:
    return Staff(seeded_app)


@pytest.fixture
def client(seeded_app: Flask) -> FlaskClient:
    return seeded_app.test_client()


# --- 1. The narrative --------------------------------------------------------------------------


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


# --- 2. Validation -----------------------------------------------------------------------------


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
        ({"title": {"en": "No French"}}, ["title"], None),
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


# --- 3. Workflow -------------------------------------------------------------------------------

ALLOWED = {"draft": {"in_review"}, "in_review": {"draft", "published"}, "published": {"archived"}, "archived": set()}
PATH_TO = {"draft": [], "in_review": ["in_review"], "published": ["in_review", "published"],
           "archived": ["in_review", "published", "archived"]}


def practice_in(client: FlaskClient, staff: Staff, status: str, **fields: Any) -> str:
    slug = create(client, staff.editor, **fields)["slug"]
    for step in PATH_TO[status]:
        assert move(client, slug, step, staff.admin).status_code == 200
    return slug


@pytest.mark.parametrize("start", list(ALLOWED))
def test_only_the_documented_transitions_are_allowed(client: FlaskClient, staff: Staff, start: str) -> None:
    for to in ("draft", "in_review", "published", "archived"):
        slug = practice_in(client, staff, start, title=f"Workflow {start} to {to}")
        response = move(client, slug, to, staff.admin)
        if to in ALLOWED[start]:
            assert response.status_code == 200, (start, to, response.get_data(as_text=True))
            assert response.json["status"] == to
        else:
            errors = assert_invalid(response, "to")
            message = " ".join(errors["to"])
            for allowed in ALLOWED[start]:
                assert allowed in message, (start, to, message)
            if not ALLOWED[start]:
                assert "none" in message
            assert client.get(f"{PRACTICES}/{slug}", headers=staff.admin).json["status"] == start


def test_an_unknown_status_or_no_status_is_a_422(client: FlaskClient, staff: Staff) -> None:
    slug = create(client, staff.editor)["slug"]
    assert_invalid(move(client, slug, "deleted", staff.admin), "to")
    assert_invalid(client.post(f"{PRACTICES}/{slug}/transitions", json={}, headers=staff.admin), "to")
    assert_invalid(client.post(f"{PRACTICES}/{slug}/transitions", json={"to": "in_review", "colour": "blue"},
                               headers=staff.admin), "colour")
    assert_problem(move(client, "no-such-practice", "in_review", staff.admin), 404)


def test_publishing_and_archiving_need_an_admin(client: FlaskClient, staff: Staff) -> None:
    slug = practice_in(client, staff, "in_review")
    assert_problem(move(client, slug, "published", staff.editor), 403)
    assert client.get(f"{PRACTICES}/{slug}", headers=staff.editor).json["status"] == "in_review"
    assert move(client, slug, "published", staff.admin).status_code == 200
    assert_problem(move(client, slug, "archived", staff.editor), 403)
    assert move(client, slug, "archived", staff.admin).status_code == 200
    # Editors may send back to draft.
    other = practice_in(client, staff, "in_review", title="Back to draft")
    back = move(client, other, "draft", staff.editor)
    assert back.status_code == 200 and back.json["status"] == "draft"


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_unpublished_practices_are_invisible_without_a_token(client: FlaskClient, staff: Staff, status: str) -> None:
    before = (lead_count(client), facet_count(client, "local_government", LEAD),
              facet_count(client, "right", "housing"))
    slug = practice_in(client, staff, status, title="Quixotic hidden practice", rights=["housing"])
    url = f"{PRACTICES}/{slug}"
    # Without a token: as if it did not exist.
    assert_problem(client.get(url), 404)
    assert slug not in list_slugs(client)
    assert slug not in list_slugs(client, "q=quixotic")
    assert slug not in list_slugs(client, f"local_government={LEAD}&right=housing")
    assert (lead_count(client), facet_count(client, "local_government", LEAD),
            facet_count(client, "right", "housing")) == before
    # With one: there.
    for headers in (staff.editor, staff.admin):
        seen = client.get(url, headers=headers)
        assert seen.status_code == 200 and seen.json["status"] == status
        assert seen.headers["Cache-Control"] == PRIVATE
        assert slug in list_slugs(client, headers=headers)
        assert slug in list_slugs(client, "q=quixotic", headers=headers)
        assert slug in list_slugs(client, f"status={status}", headers=headers)
        assert facet_count(client, "right", "housing", headers) > facet_count(client, "right", "housing")


def test_status_filter_needs_a_token_and_filters(client: FlaskClient, staff: Staff) -> None:
    assert_problem(client.get(f"{PRACTICES}?status=draft"), 401)
    assert_problem(client.get(f"{PRACTICES}?status=published"), 401)
    draft = practice_in(client, staff, "draft", title="Filter draft")
    review = practice_in(client, staff, "in_review", title="Filter review")
    drafts = list_slugs(client, "status=draft", staff.editor)
    assert draft in drafts and review not in drafts
    response = client.get(f"{PRACTICES}?status=draft", headers=staff.editor)
    assert all(item["status"] == "draft" for item in response.json["items"])
    assert response.headers["Cache-Control"] == PRIVATE
    both = list_slugs(client, "status=draft&status=in_review", staff.editor)
    assert {draft, review} <= set(both)
    published = list_slugs(client, "status=published", staff.editor)
    assert draft not in published and published == list_slugs(client)
    assert_invalid(client.get(f"{PRACTICES}?status=deleted", headers=staff.editor), "status", status=400)


def test_staff_answers_are_private(client: FlaskClient, staff: Staff) -> None:
    slug = "madrid-droits-humains-des-migrants"
    for url in (PRACTICES, f"{PRACTICES}/{slug}", f"{PRACTICES}/{slug}/revisions", f"{API}/rights"):
        response = client.get(url, headers=staff.editor)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == PRIVATE, url
    created = client.post(PRACTICES, json=new_practice(), headers=staff.editor)
    assert "no-store" in created.headers["Cache-Control"]
    assert client.get(PRACTICES).headers["Cache-Control"] == "public, max-age=60"


# --- 4. Concurrency ----------------------------------------------------------------------------


def test_of_two_editors_on_one_version_one_wins_and_nothing_is_lost(client: FlaskClient, staff: Staff) -> None:
    slug = create(client, staff.editor)["slug"]
    url = f"{PRACTICES}/{slug}"
    etag_ana = etag_of(client, slug, staff.editor)
    etag_ben = etag_of(client, slug, staff.editor2)
    assert etag_ana == etag_ben
    ana = client.patch(url, json={"start_year": 2015}, headers={**staff.editor, "If-Match": etag_ana})
    assert ana.status_code == 200
    ben = client.patch(url, json={"end_year": 2019}, headers={**staff.editor2, "If-Match": etag_ben})
    assert_problem(ben, 412)
    now = client.get(url, headers=staff.editor2)
    assert (now.json["start_year"], now.json["end_year"], now.json["version"]) == (2015, None, 2)
    # Ben re-reads and re-applies: both changes are kept.
    again = client.patch(url, json={"end_year": 2019}, headers={**staff.editor2, "If-Match": now.headers["ETag"]})
    assert again.status_code == 200
    assert (again.json["start_year"], again.json["end_year"], again.json["version"]) == (2015, 2019, 3)
    actors = [(r["actor"], r["action"]) for r in client.get(f"{url}/revisions", headers=staff.admin).json["items"]]
    assert actors == [("ben-editor", "update"), ("ana-editor", "update"), ("ana-editor", "create")]


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_real_race_one_wins_and_the_database_refuses_the_other(
    seeded_app: Flask, client: FlaskClient, staff: Staff, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Both requests pass the ETag check on the same version (a barrier holds each until the other
    has checked), then both write: only the database's `WHERE version = ...` can stop the second."""
    slug = create(client, staff.editor)["slug"]
    url = f"{PRACTICES}/{slug}"
    etag = etag_of(client, slug, staff.admin)
    barrier = threading.Barrier(2, timeout=10)
    checked = smorest.check_if_match

    def check_then_wait(*args: Any) -> None:
        checked(*args)
        barrier.wait()

    monkeypatch.setattr(smorest, "check_if_match", check_then_wait)
    results: dict[str, TestResponse] = {}
    errors: list[BaseException] = []

    def writer(name: str, headers: dict[str, str], year: int) -> None:
        try:
            own = seeded_app.test_client()
            results[name] = own.open(url, method=method, json={"start_year": year} if method == "PATCH" else None,
                                     headers={**headers, "If-Match": etag})
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
            barrier.abort()

    headers = (staff.editor, staff.editor2) if method == "PATCH" else (staff.admin, staff.admin)
    threads = [threading.Thread(target=writer, args=(name, h, y))
               for name, h, y in (("first", headers[0], 2011), ("second", headers[1], 2012))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    statuses = sorted(r.status_code for r in results.values())
    success = 200 if method == "PATCH" else 204
    assert statuses == [success, 412], {n: (r.status_code, r.get_data(as_text=True)[:300]) for n, r in results.items()}
    loser = next(r for r in results.values() if r.status_code == 412)
    assert_problem(loser, 412)
    monkeypatch.setattr(smorest, "check_if_match", checked)
    history = client.get(f"{url}/revisions", headers=staff.admin).json["items"]
    assert len(history) == 2, "one write recorded, not two"
    if method == "PATCH":
        winner = next(n for n, r in results.items() if r.status_code == 200)
        now = client.get(url, headers=staff.admin).json
        assert now["version"] == 2
        assert now["start_year"] == {"first": 2011, "second": 2012}[winner]
        assert history[0]["changes"]["start_year"]["new"] == now["start_year"]


def test_two_threads_without_help_never_both_win(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    """The same race left to chance: whatever the interleaving, one 200 and one 412 (SQLite may serialise)."""
    slug = create(client, staff.editor)["slug"]
    url = f"{PRACTICES}/{slug}"
    etag = etag_of(client, slug, staff.editor)
    start = threading.Barrier(2, timeout=10)
    results: list[int] = []

    def writer(headers: dict[str, str], year: int) -> None:
        own = seeded_app.test_client()
        start.wait()
        results.append(own.patch(url, json={"start_year": year}, headers={**headers, "If-Match": etag}).status_code)

    threads = [threading.Thread(target=writer, args=a) for a in ((staff.editor, 2011), (staff.editor2, 2012))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [200, 412], results
    assert client.get(url, headers=staff.editor).json["version"] == 2


# --- 5. Idempotency-Key ------------------------------------------------------------------------


def test_the_same_key_and_body_replay_the_first_answer(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    body = new_practice("Idempotent reception")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = client.post(PRACTICES, json=body, headers={**staff.editor, **key})
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    # The same JSON, spaced and ordered otherwise, is the same body.
    again = client.post(PRACTICES, data=json.dumps(dict(reversed(body.items())), indent=2),
                        content_type="application/json", headers={**staff.editor, **key})
    assert again.status_code == 201
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]
    assert practice_rows(seeded_app, "idempotent-reception") == ["idempotent-reception"]
    # Same key, another body: refused, nothing written.
    other = client.post(PRACTICES, json={**body, "start_year": 2001}, headers={**staff.editor, **key})
    assert_invalid(other, "Idempotency-Key")
    # Another token may use the same key: its own request.
    admins = client.post(PRACTICES, json=body, headers={**staff.admin, **key})
    assert admins.status_code == 201 and "Idempotent-Replayed" not in admins.headers
    assert admins.json["slug"] == "idempotent-reception-2"
    # Without a key, the same body makes another practice.
    assert client.post(PRACTICES, json=body, headers=staff.editor).json["slug"] == "idempotent-reception-3"
    assert sorted(practice_rows(seeded_app, "idempotent-reception")) == [
        "idempotent-reception", "idempotent-reception-2", "idempotent-reception-3"]


def test_a_refused_post_is_not_remembered(seeded_app: Flask, client: FlaskClient, staff: Staff) -> None:
    key = {"Idempotency-Key": "retry-after-fixing"}
    body = new_practice("Remembered only on success", rights=["houssing"])
    assert_invalid(client.post(PRACTICES, json=body, headers={**staff.editor, **key}), "rights")
    body["rights"] = ["housing"]
    fixed = client.post(PRACTICES, json=body, headers={**staff.editor, **key})
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed.headers


@pytest.mark.parametrize(("key", "status"), [("k" * 200, 201), ("k" * 201, 400), ("", 400)])
def test_idempotency_key_length(seeded_app: Flask, client: FlaskClient, staff: Staff, key: str, status: int) -> None:
    response = client.post(PRACTICES, json=new_practice("Key length"), headers={**staff.editor, "Idempotency-Key": key})
    if status == 201:
        assert response.status_code == 201
        assert practice_rows(seeded_app, "key-length") == ["key-length"]
    else:
        assert_invalid(response, "Idempotency-Key", status=400)
        assert practice_rows(seeded_app, "key-length") == []


# --- 6. Limits ---------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_a_413(seeded_database_url) -> None:
    app = make_app(seeded_database_url, MAX_CONTENT_LENGTH=2000)
    try:
        staff = Staff(app)
        client = app.test_client()
        big = new_practice("Too long", provenance="x" * 1990)
        assert_problem(client.post(PRACTICES, json=big, headers=staff.editor), 413)
        assert client.post(PRACTICES, json=new_practice("Short enough"), headers=staff.editor).status_code == 201
        etag = etag_of(client, "short-enough", staff.editor)
        assert_problem(client.patch(f"{PRACTICES}/short-enough", json={"provenance": "y" * 2500},
                                    headers={**staff.editor, "If-Match": etag}), 413)
        assert practice_rows(app, "too-long") == []
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ({"title": "x"}, None),  # a form
        ("title=x", "application/x-www-form-urlencoded"),
        (json.dumps(new_practice()), "text/plain"),
        (b"\x00\x01", "application/octet-stream"),
    ],
)
def test_a_body_that_is_not_json_is_a_415(client: FlaskClient, staff: Staff, data, content_type) -> None:
    kwargs: dict[str, Any] = {"data": data}
    if content_type:
        kwargs["content_type"] = content_type
    assert_problem(client.post(PRACTICES, headers=staff.editor, **kwargs), 415)
    slug = "madrid-droits-humains-des-migrants"
    etag = etag_of(client, slug, staff.editor)
    assert_problem(client.patch(f"{PRACTICES}/{slug}", headers={**staff.editor, "If-Match": etag}, **kwargs), 415)
    assert_problem(client.post(f"{PRACTICES}/{slug}/transitions", headers=staff.editor, **kwargs), 415)


@pytest.mark.parametrize("data", ['{"title": ', "{'title': 'x'}", "[1, 2", "nul"])
def test_malformed_json_is_a_400(client: FlaskClient, staff: Staff, data: str) -> None:
    assert_problem(client.post(PRACTICES, data=data, content_type="application/json", headers=staff.editor), 400)
    slug = "madrid-droits-humains-des-migrants"
    etag = etag_of(client, slug, staff.editor)
    assert_problem(client.patch(f"{PRACTICES}/{slug}", data=data, content_type="application/json",
                                headers={**staff.editor, "If-Match": etag}), 400)


@pytest.mark.parametrize("body", [None, "[]", '"text"', "42", "null"])
def test_an_empty_or_non_object_body_is_a_422(client: FlaskClient, staff: Staff, body: str | None) -> None:
    kwargs: dict[str, Any] = {} if body is None else {"data": body, "content_type": "application/json"}
    response = client.post(PRACTICES, headers=staff.editor, **kwargs)
    if body is None:
        assert_invalid(response, "title", "original_language", "lead_local_government", "provenance")
    else:
        assert_problem(response, 422)


def test_an_empty_body_with_a_json_type_is_a_422_naming_the_required_fields(client: FlaskClient, staff: Staff):
    response = client.post(PRACTICES, data=b"", content_type="application/json", headers=staff.editor)
    assert_invalid(response, "title", "original_language", "lead_local_government", "provenance")


# --- 7. The auth matrix ------------------------------------------------------------------------

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


@pytest.fixture(scope="module", params=BACKENDS)
def shared_app(
    request: pytest.FixtureRequest, templates: Templates, postgres: PostgresServer | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flask]:
    """One seeded app per backend for the matrix: each case works on practices of its own."""
    backend = request.param
    copies = _copy_of(backend, templates.get(backend, seeded=True), tmp_path_factory.mktemp("writes"), postgres)
    url = next(copies)
    app = make_app(url)
    app.config["MATRIX_TOKENS"] = {
        "editor": make_token(app, "matrix-editor", "editor"),
        "admin": make_token(app, "matrix-admin", "admin"),
        "expired": make_token(app, "matrix-expired", "admin", expired=True),
        "revoked": make_token(app, "matrix-revoked", "admin", revoked=True),
    }
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    next(copies, None)


def auth_header(app: Flask, kind: str) -> dict[str, str]:
    secrets = app.config["MATRIX_TOKENS"]
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


# The other collections: (route) -> (status for an editor, status for an admin). Local governments are
# edited by editors; every other collection by admins only; deleting always needs an admin.
EDITOR_COLLECTIONS = {"local-governments"}
ADMIN_COLLECTIONS = ["rights", "target-groups", "practice-types", "gcm-objectives", "gcm-principles", "sdg-targets",
                     "networks", "organisations", "sessions", "questions"]
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


# --- 8. The spec -------------------------------------------------------------------------------

WRITE_OPERATIONS = {
    ("/api/v1/practices", "post"): {401, 403, 409, 422},
    ("/api/v1/practices/{slug}", "patch"): {401, 403, 404, 412, 422, 428},
    ("/api/v1/practices/{slug}", "delete"): {401, 403, 404, 412, 428},
    ("/api/v1/practices/{slug}/transitions", "post"): {401, 403, 404, 422},
    ("/api/v1/practices/{slug}/restore", "post"): {401, 403, 404, 409},
    ("/api/v1/practices/{slug}/revisions", "get"): {401, 403, 404},
}
WITH_BODY = {("/api/v1/practices", "post"), ("/api/v1/practices/{slug}", "patch"),
             ("/api/v1/practices/{slug}/transitions", "post")}
for _collection in sorted(EDITOR_COLLECTIONS) + ADMIN_COLLECTIONS:
    WRITE_OPERATIONS |= {
        (f"/api/v1/{_collection}", "post"): {401, 403, 409, 422},
        (f"/api/v1/{_collection}/{{slug}}", "patch"): {401, 403, 404, 409, 412, 422, 428},
        (f"/api/v1/{_collection}/{{slug}}", "delete"): {401, 403, 404, 409, 412, 428},
        (f"/api/v1/{_collection}/{{slug}}/revisions", "get"): {401, 403, 404},
    }
    WITH_BODY |= {(f"/api/v1/{_collection}", "post"), (f"/api/v1/{_collection}/{{slug}}", "patch")}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    app = make_app("sqlite://")
    return app.test_client().get(f"{API}/openapi.json").json


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, section, name = node["$ref"].split("/")
        node = spec["components"][section][name]
    return node


def test_the_spec_documents_the_bearer_scheme(spec) -> None:
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "tokens create" in scheme["description"]


@pytest.mark.parametrize(("path", "method"), list(WRITE_OPERATIONS))
def test_the_spec_documents_each_write_operation(spec, path: str, method: str) -> None:
    operation = spec["paths"][path][method]
    assert operation.get("security") == [{"bearerAuth": []}]
    problem = _resolve(spec, spec["components"]["responses"]["DEFAULT_ERROR"])["content"][PROBLEM]["schema"]
    for status in WRITE_OPERATIONS[(path, method)]:
        assert str(status) in operation["responses"], f"{method.upper()} {path}: no {status}"
        content = _resolve(spec, operation["responses"][str(status)]).get("content", {})
        assert content.keys() == {PROBLEM} and content[PROBLEM]["schema"] == problem, (path, method, status)
    success = [s for s in operation["responses"] if s.startswith("2")]
    assert success, operation["responses"]
    if (path, method) in WITH_BODY:
        body = operation["requestBody"]
        assert body["required"] is True or method == "patch"
        media = body["content"]["application/json"]
        assert "example" in media or "examples" in media, f"{method.upper()} {path}: no request example"
        schema = _resolve(spec, media["schema"])
        assert schema.get("additionalProperties") is False, f"{method.upper()} {path}: unknown fields are refused"
    if method in {"patch", "delete"}:
        headers = {p["name"] for p in map(lambda p: _resolve(spec, p), operation.get("parameters", []))}
        assert "If-Match" in headers, f"{method.upper()} {path}: If-Match is required and not documented"


def test_the_spec_shows_the_idempotency_key_and_the_server_owned_fields(spec) -> None:
    operation = spec["paths"]["/api/v1/practices"]["post"]
    key = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
    assert key["in"] == "header" and key["schema"]["maxLength"] == 200
    create_schema = _resolve(spec, operation["requestBody"]["content"]["application/json"]["schema"])
    assert {"title", "original_language", "lead_local_government", "provenance"} <= set(create_schema["required"])
    assert not {"status", "version", "created_at", "published_at"} & set(create_schema["properties"])
    patch = spec["paths"]["/api/v1/practices/{slug}"]["patch"]
    update_schema = _resolve(spec, patch["requestBody"]["content"]["application/json"]["schema"])
    assert not update_schema.get("required") and "slug" not in update_schema["properties"]


@pytest.mark.parametrize("collection", sorted(EDITOR_COLLECTIONS) + ADMIN_COLLECTIONS)
def test_the_spec_keeps_server_owned_fields_out_of_every_input(spec, collection: str) -> None:
    create = spec["paths"][f"/api/v1/{collection}"]["post"]
    create_schema = _resolve(spec, create["requestBody"]["content"]["application/json"]["schema"])
    assert "original_language" in create_schema["required"] and "slug" not in create_schema["required"]
    assert not {"version", "created_at", "updated_at", "id"} & set(create_schema["properties"])
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    patch = spec["paths"][f"/api/v1/{collection}/{{slug}}"]["patch"]
    update_schema = _resolve(spec, patch["requestBody"]["content"]["application/json"]["schema"])
    assert not update_schema.get("required") and "slug" not in update_schema["properties"]
    assert update_schema["additionalProperties"] is False


def test_public_reads_need_no_token_in_the_spec(spec) -> None:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "get" and (path, method) not in WRITE_OPERATIONS:
                assert "security" not in operation or {} in operation["security"], (path, method)


@pytest.mark.parametrize("path", ["/api/v1/practices", "/api/v1/practices/{slug}"])
def test_reads_that_answer_401_document_it(spec, path: str) -> None:
    """GET /practices answers 401 to `status` without a token, and both practice reads to a bad token
    (see ``test_a_refused_token_never_sees_drafts``): the spec must show the 401 and the optional token."""
    operation = spec["paths"][path]["get"]
    assert "401" in operation["responses"], f"GET {path}: 401 not documented"
    assert {"bearerAuth": []} in operation.get("security", []) and {} in operation.get("security", []), (
        f"GET {path}: the optional bearer token is not documented")
