"""Over HTTP: a PATCH is a JSON Merge Patch, and an editor's PATCH of a published practice waits for an admin."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.helpers import API, PRACTICES, Staff, assert_invalid, assert_problem, create, etag_of, move

PROPOSALS = f"{API}/proposals"
MERGE_PATCH = "application/merge-patch+json"
TITLE = {"fr": "Accueil humanitaire synthétique", "en": "Synthetic humanitarian reception"}


def published(client: FlaskClient, staff: Staff) -> str:
    slug = create(client, staff.editor, title=TITLE["fr"])["slug"]
    patch(client, slug, {"title": {"en": TITLE["en"]}}, staff.editor)
    for step in ("in_review", "published"):
        assert move(client, slug, step, staff.admin).status_code == 200
    return slug


def patch(client: FlaskClient, slug: str, body: Any, headers: dict[str, str], *,
          content_type: str = MERGE_PATCH) -> TestResponse:
    etag = etag_of(client, slug, headers)
    return client.patch(f"{PRACTICES}/{slug}", data=json.dumps(body), content_type=content_type,
                        headers={**headers, "If-Match": etag})


# --- Merge patch ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", [MERGE_PATCH, "application/json"])
def test_a_patch_changes_only_the_languages_it_names(client: FlaskClient, staff: Staff, content_type: str) -> None:
    slug = create(client, staff.editor, title=TITLE["fr"], summary={"fr": "Résumé", "en": "Summary"})["slug"]
    changed = patch(client, slug, {"title": {"es": "Acogida humanitaria sintética"}}, staff.editor,
                    content_type=content_type)
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.json["title"] == {"fr": TITLE["fr"], "es": "Acogida humanitaria sintética"}
    removed = patch(client, slug, {"title": {"es": None}, "summary": {"en": None}}, staff.editor)
    assert removed.status_code == 200, removed.get_data(as_text=True)
    assert (removed.json["title"], removed.json["summary"]) == ({"fr": TITLE["fr"]}, {"fr": "Résumé"})


def test_a_patch_cannot_remove_the_original_language_nor_a_required_field(client: FlaskClient, staff: Staff) -> None:
    slug = create(client, staff.editor, title=TITLE["fr"], summary={"fr": "Résumé"})["slug"]
    before = client.get(f"{PRACTICES}/{slug}", headers=staff.editor).json
    errors = assert_invalid(patch(client, slug, {"title": {"fr": None, "en": "Only English"}}, staff.editor),
                            "title.fr")
    assert "original language 'fr'" in errors["title.fr"][0]
    assert_invalid(patch(client, slug, {"title": None}, staff.editor), "title")
    assert_invalid(patch(client, slug, {"title": {"es": ""}}, staff.editor), "title")
    cleared = patch(client, slug, {"summary": None}, staff.editor)
    assert cleared.status_code == 200 and cleared.json["summary"] is None
    assert cleared.json["version"] == before["version"] + 1


def test_another_media_type_is_still_refused(client: FlaskClient, staff: Staff) -> None:
    slug = create(client, staff.editor)["slug"]
    assert_problem(patch(client, slug, {"start_year": 2016}, staff.editor, content_type="text/plain"), 415)


# --- Proposals ------------------------------------------------------------------------------------------------


def test_an_editors_patch_of_a_published_practice_waits_for_an_admin(client: FlaskClient, staff: Staff) -> None:
    slug = published(client, staff)
    url = f"{PRACTICES}/{slug}"
    public = client.get(url)
    # The editor proposes: 202 with the proposal and its address; nothing changes yet.
    proposed = patch(client, slug, {"title": {"es": "Acogida humanitaria sintética"}, "start_year": 2016},
                     staff.editor)
    assert proposed.status_code == 202, proposed.get_data(as_text=True)
    proposal = proposed.json
    assert proposed.headers["Location"].endswith(f"{PROPOSALS}/{proposal['id']}")
    assert "ETag" not in proposed.headers
    assert (proposal["status"], proposal["proposed_by"], proposal["decided_by"]) == ("pending", "ana-editor", None)
    assert proposal["changes"] == {"title": {"es": "Acogida humanitaria sintética"}, "start_year": 2016}
    assert proposal["practice"]["slug"] == slug and proposal["base_version"] == public.json["version"]
    again = client.get(url)
    assert again.json == public.json and again.headers["ETag"] == public.headers["ETag"]
    assert client.get(url, headers=staff.admin).json["title"] == TITLE
    # Staff see it pending, across practices and on the practice; the public does not see it at all.
    pending = client.get(f"{PROPOSALS}?status=pending", headers=staff.editor)
    assert pending.status_code == 200 and proposal["id"] in [p["id"] for p in pending.json["items"]]
    assert [p["id"] for p in client.get(f"{url}/proposals", headers=staff.admin).json["items"]] == [proposal["id"]]
    assert client.get(proposed.headers["Location"], headers=staff.editor).json == proposal
    assert_problem(client.get(f"{PROPOSALS}?status=pending"), 401)
    assert_problem(client.get(f"{url}/proposals"), 401)
    # An editor cannot approve; an admin can, and the public then sees the change.
    approve = f"{PROPOSALS}/{proposal['id']}/approve"
    assert_problem(client.post(approve, json={}, headers=staff.editor2), 403)
    approved = client.post(approve, json={"note": "Checked (synthetic)."}, headers=staff.admin)
    assert approved.status_code == 200, approved.get_data(as_text=True)
    assert (approved.json["status"], approved.json["decided_by"]) == ("approved", "carla-admin")
    shown = client.get(url).json
    assert shown["title"] == {**TITLE, "es": "Acogida humanitaria sintética"} and shown["start_year"] == 2016
    assert shown["version"] == public.json["version"] + 1
    [latest] = client.get(f"{url}/revisions?page_size=1", headers=staff.editor).json["items"]
    assert (latest["action"], latest["actor"]) == ("update", "carla-admin")
    assert latest["note"] == f"Approved proposal {proposal['id']} by ana-editor: Checked (synthetic)."
    assert set(latest["changes"]) == {"title", "start_year"}
    assert client.get(f"{PROPOSALS}?status=pending", headers=staff.editor).json["items"] == [
        p for p in pending.json["items"] if p["id"] != proposal["id"]]
    assert_problem(client.post(approve, headers=staff.admin), 409)


def test_a_rejected_proposal_keeps_its_note_and_changes_nothing(client: FlaskClient, staff: Staff) -> None:
    slug = published(client, staff)
    public = client.get(f"{PRACTICES}/{slug}")
    proposal = patch(client, slug, {"start_year": 1999}, staff.editor).json
    reject = f"{PROPOSALS}/{proposal['id']}/reject"
    assert_invalid(client.post(reject, json={}, headers=staff.admin), "note")
    assert_problem(client.post(reject, json={"note": "No."}, headers=staff.editor), 403)
    rejected = client.post(reject, json={"note": "The report gives no start year (synthetic)."}, headers=staff.admin)
    assert rejected.status_code == 200, rejected.get_data(as_text=True)
    assert (rejected.json["status"], rejected.json["decision_note"]) == (
        "rejected", "The report gives no start year (synthetic).")
    assert client.get(f"{PRACTICES}/{slug}").json == public.json
    assert [p["status"] for p in client.get(f"{PRACTICES}/{slug}/proposals?status=rejected",
                                            headers=staff.editor).json["items"]] == ["rejected"]
    assert_problem(client.post(f"{PROPOSALS}/{proposal['id']}/approve", headers=staff.admin), 409)


def test_a_proposal_overtaken_on_its_own_fields_is_a_conflict(client: FlaskClient, staff: Staff) -> None:
    slug = published(client, staff)
    proposal = patch(client, slug, {"title": {"en": "Proposed English title"}}, staff.editor).json
    assert patch(client, slug, {"title": {"en": "Admin's English title"}}, staff.admin).status_code == 200
    errors = assert_invalid(client.post(f"{PROPOSALS}/{proposal['id']}/approve", headers=staff.admin),
                            "title.en", status=409)
    assert "Changed since version" in errors["title.en"][0]
    assert client.get(f"{PRACTICES}/{slug}").json["title"]["en"] == "Admin's English title"
    assert client.get(f"{PROPOSALS}/{proposal['id']}", headers=staff.editor).json["status"] == "pending"


def test_an_invalid_proposal_is_refused_at_once_and_admin_edits_apply_at_once(client: FlaskClient,
                                                                               staff: Staff) -> None:
    slug = published(client, staff)
    assert_invalid(patch(client, slug, {"rights": ["houssing"]}, staff.editor), "rights", mentions="houssing")
    assert_invalid(patch(client, slug, {"title": {"fr": None}}, staff.editor), "title.fr")
    assert client.get(f"{PRACTICES}/{slug}/proposals", headers=staff.editor).json["total"] == 0
    applied = patch(client, slug, {"start_year": 2016}, staff.admin)
    assert applied.status_code == 200 and client.get(f"{PRACTICES}/{slug}").json["start_year"] == 2016
    assert_problem(client.get(f"{PROPOSALS}/999999", headers=staff.editor), 404)
    assert_problem(client.post(f"{PROPOSALS}/999999/approve", headers=staff.admin), 404)
