"""GET /api/v1/changes: the feed a mirror follows, as the public and as staff read it, and its contract."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.api.changes.schemas import COLLECTIONS, MAX_LIMIT
from tests.api.routes import links_of
from tests.helpers import API, PRACTICES, Staff, assert_problem, bearer, create, move

CHANGES = f"{API}/changes"


def feed(client: FlaskClient, since: int = 0, headers: dict[str, str] | None = None, **args: Any) -> dict[str, Any]:
    response = client.get(CHANGES, query_string={"since": since, "limit": MAX_LIMIT, **args}, headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def head(client: FlaskClient, headers: dict[str, str] | None = None) -> int:
    """The cursor after every event there is now that this reader sees (staff see them all)."""
    body, since = None, 0
    while body is None or body["more"]:
        body = feed(client, since, headers)
        since = body["next_since"]
    return since


def seen(client: FlaskClient, since: int, headers: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    return [(item["kind"], item["slug"], item["event"]) for item in feed(client, since, headers)["items"]]


def test_a_practice_reaches_the_public_feed_only_while_public(client: FlaskClient, staff: Staff) -> None:
    """The four cases of a public mirror: a draft made (nothing), published, archived, and soft-deleted."""
    start = head(client)
    slug = create(client, staff.editor, title="Synthetic feed practice (test data)")["slug"]
    assert seen(client, start) == [], "a draft is nobody else's business"
    assert move(client, slug, "in_review", staff.editor).status_code == 200
    assert move(client, slug, "published", staff.admin).status_code == 200
    assert seen(client, start) == [("practices", slug, "published")]
    assert move(client, slug, "archived", staff.admin).status_code == 200
    assert seen(client, start)[-1] == ("practices", slug, "archived")

    other = create(client, staff.editor, title="Synthetic deleted practice (test data)")["slug"]
    move(client, other, "in_review", staff.editor)
    move(client, other, "published", staff.admin)
    deleted = client.delete(f"{PRACTICES}/{other}", headers={**staff.admin, "If-Match": "*"})
    assert deleted.status_code == 204
    assert seen(client, start)[-2:] == [("practices", other, "published"), ("practices", other, "deleted")]

    # Staff see every write, the draft's included.
    assert [event for kind, s, event in seen(client, start, staff.editor) if s == slug] == [
        "created", "updated", "published", "archived"
    ]


def test_an_event_carries_its_cursor_time_version_and_the_records_address(client: FlaskClient, staff: Staff) -> None:
    start = head(client)
    made = client.post(f"{API}/networks", json={"name": {"en": "Synthetic network (test data)"},
                                                "original_language": "en", "slug": "synthetic-feed-net"},
                       headers=staff.admin)
    assert made.status_code == 201
    client.delete(f"{API}/networks/synthetic-feed-net", headers={**staff.admin, "If-Match": "*"})
    created, deleted = feed(client, start)["items"]
    assert list(created) == ["cursor", "kind", "slug", "event", "at", "version", "url"]
    assert created["cursor"] > start and deleted["cursor"] > created["cursor"]
    assert (created["kind"], created["event"], created["version"]) == ("networks", "created", 1)
    assert created["url"] == "http://localhost/api/v1/networks/synthetic-feed-net"
    assert created["at"].endswith("Z")
    assert (deleted["event"], deleted["url"]) == ("deleted", None)


def test_every_kind_names_its_collection_and_its_url_answers(client: FlaskClient, staff: Staff) -> None:
    """Every kind the seeds write appears under its collection's name, at an address that answers 200 (to staff:
    the seeded practices are draft stubs)."""
    items = feed(client, headers=staff.editor)["items"]
    by_kind = {item["kind"]: item for item in items}
    assert set(by_kind) == {*COLLECTIONS.values(), "people"} - {"organisations"}, sorted(by_kind)
    for kind, item in by_kind.items():
        if kind == "people":
            assert item["url"] is None, "people have no address of their own"
            continue
        assert client.get(item["url"], headers=staff.editor).status_code == 200, item


def test_pages_follow_next_to_the_end_and_the_link_header_says_the_same(client: FlaskClient) -> None:
    everything = feed(client)["items"]
    assert len(everything) > 5
    url: str | None = f"{CHANGES}?limit=5"
    cursors: list[int] = []
    while url is not None:
        response = client.get(url)
        body = response.json
        assert links_of(response) == body["links"]
        assert len(body["items"]) <= 5 and body["limit"] == 5
        cursors += [item["cursor"] for item in body["items"]]
        assert body["next_since"] == (cursors[-1] if cursors else 0)
        url = body["links"]["next"] if body["more"] else None
    assert cursors == [item["cursor"] for item in everything] == sorted(set(cursors))
    last = client.get(body["links"]["next"]).json
    assert (last["items"], last["more"], last["next_since"]) == ([], False, cursors[-1])


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", str(2**64)])
def test_a_malformed_cursor_is_a_400_naming_since(client: FlaskClient, since: str) -> None:
    body = assert_problem(client.get(f"{CHANGES}?since={since}"), 400)
    assert list(body["errors"]) == ["since"]


def test_a_cursor_the_feed_never_gave_is_a_400_naming_since(client: FlaskClient, staff: Staff) -> None:
    body = assert_problem(client.get(f"{CHANGES}?since={head(client, staff.editor) + 1}"), 400)
    assert list(body["errors"]) == ["since"]


@pytest.mark.parametrize("query", ["limit=0", f"limit={MAX_LIMIT + 1}", "page=2", "colour=blue"])
def test_other_bad_parameters_are_400s_naming_them(client: FlaskClient, query: str) -> None:
    body = assert_problem(client.get(f"{CHANGES}?{query}"), 400)
    assert list(body["errors"]) == [query.split("=")[0]]


def test_a_bad_token_is_a_401_not_the_public_feed(client: FlaskClient) -> None:
    response = client.get(CHANGES, headers=bearer("not-a-token"))
    assert_problem(response, 401)


def test_the_public_feed_is_cacheable_and_the_staff_feed_is_private(client: FlaskClient, staff: Staff) -> None:
    public = client.get(CHANGES)
    assert public.headers["Cache-Control"] == "public, max-age=60" and public.headers["ETag"]
    assert client.get(CHANGES, headers={"If-None-Match": public.headers["ETag"]}).status_code == 304
    assert client.get(CHANGES, headers=staff.editor).headers["Cache-Control"] == "private, no-store"

