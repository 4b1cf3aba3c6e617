"""The editorial workflow of practices: the transitions allowed, who may make them, what the public sees."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import (
    API,
    LEAD,
    PRACTICES,
    PRIVATE,
    Staff,
    assert_invalid,
    assert_problem,
    create,
    facet_count,
    lead_count,
    list_slugs,
    move,
    new_practice,
)

# --- Workflow -------------------------------------------------------------------------------

ALLOWED = {"draft": {"in_review"}, "in_review": {"draft", "published"}, "published": {"archived"},
           "archived": {"draft"}}
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
    # Only an admin may restore an archived practice to draft.
    assert_problem(move(client, slug, "draft", staff.editor), 403)
    assert client.get(f"{PRACTICES}/{slug}", headers=staff.editor).json["status"] == "archived"
    restored = move(client, slug, "draft", staff.admin)
    assert restored.status_code == 200 and restored.json["status"] == "draft"
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


# --- Stubs: announced, not documented, never public --------------------------------------------

SEEDED_STUBS = {f"{lg}-droits-humains-des-migrants"
                for lg in ("upala", "pikine", "gaborone", "madrid", "pichincha", "quetzaltenango")}


def test_the_seeded_stubs_are_drafts_staff_find_by_documentation(client: FlaskClient, staff: Staff) -> None:
    assert list_slugs(client) == []
    assert set(list_slugs(client, "documentation=stub", staff.editor)) == SEEDED_STUBS
    assert list_slugs(client, "documentation=stub") == []  # the public never finds one
    assert client.get(f"{PRACTICES}/pikine-droits-humains-des-migrants").status_code == 404
    assert facet_count(client, "documentation", "stub", staff.editor) == 6
    assert_invalid(client.get(f"{PRACTICES}?documentation=empty", headers=staff.editor), "documentation", status=400)


def test_a_stub_cannot_be_published_until_documented(client: FlaskClient, staff: Staff) -> None:
    slug = create(client, staff.editor, title="Annonce sans contenu", documentation="stub")["slug"]
    assert move(client, slug, "in_review", staff.editor).status_code == 200
    errors = assert_invalid(move(client, slug, "published", staff.admin), "documentation")
    assert "stub" in " ".join(errors["documentation"])
    assert client.get(f"{PRACTICES}/{slug}", headers=staff.admin).json["status"] == "in_review"
    etag = client.get(f"{PRACTICES}/{slug}", headers=staff.editor).headers["ETag"]
    documented = client.patch(f"{PRACTICES}/{slug}", json={"documentation": "partial"},
                              headers={**staff.editor, "If-Match": etag})
    assert documented.status_code == 200, documented.get_data(as_text=True)
    assert move(client, slug, "published", staff.admin).json["status"] == "published"
    assert slug in list_slugs(client)


def test_a_published_practice_cannot_become_a_stub(client: FlaskClient, staff: Staff) -> None:
    slug = practice_in(client, staff, "published", title="Pratique publiée")
    etag = client.get(f"{PRACTICES}/{slug}", headers=staff.admin).headers["ETag"]
    response = client.patch(f"{PRACTICES}/{slug}", json={"documentation": "stub"},
                            headers={**staff.admin, "If-Match": etag})
    assert_invalid(response, "documentation")
    shown = client.get(f"{PRACTICES}/{slug}").json
    assert (shown["documentation"], shown["version"]) == ("partial", 3)


def test_an_editor_cannot_propose_making_a_published_practice_a_stub(client: FlaskClient, staff: Staff) -> None:
    slug = practice_in(client, staff, "published", title="Pratique publiée et relue")
    etag = client.get(f"{PRACTICES}/{slug}", headers=staff.editor).headers["ETag"]
    response = client.patch(f"{PRACTICES}/{slug}", json={"documentation": "stub"},
                            headers={**staff.editor, "If-Match": etag})
    assert_invalid(response, "documentation")
    assert client.get(f"{API}/proposals?status=pending", headers=staff.admin).json["total"] == 0
