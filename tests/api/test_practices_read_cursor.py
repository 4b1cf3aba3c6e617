"""GET /api/v1/practices with ``cursor``: keyset pages, on the ``world``.

The rule under test: ``links.next`` carries the next page's number and, but for the relevance order, the cursor
after this page's last row; with a cursor the rows come from it (no OFFSET), ``page`` only numbers them; first,
prev and last stay plain page-number links.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.extensions import db
from registry.services.read_cache import READS
from tests.api.practice_world import SEEDED, A, C, get, problem, slugs
from tests.factories import create_practice
from tests.helpers import counting

KEYSET_SORTS = ["-updated_at", "updated_at", "title", "-title", "start_year", "-start_year"]
PRACTICES = "/api/v1/practices"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _walk(client: FlaskClient, url: str | None, *, cursor_only: bool = False) -> list[str]:
    """Every slug from ``url`` on, following ``links.next``; with ``cursor_only``, by its cursor alone
    (the page number dropped), so the rows can only come from the cursor."""
    seen: list[str] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        seen += [item["slug"] for item in body["items"]]
        url = body["links"]["next"]
        if url and cursor_only:
            params = {k: v for k, v in _query(url).items() if k != "page"}
            assert params["cursor"], url
            url = f"{PRACTICES}?{urlencode(params, doseq=True)}"
    return seen


@pytest.mark.parametrize("sort", KEYSET_SORTS)
@pytest.mark.parametrize("page_size", [1, 2, 5])
def test_walking_by_cursor_gives_the_pages_by_number(world: FlaskClient, sort: str, page_size: int) -> None:
    whole = slugs(world, sort=sort)
    by_number = []
    for page in range(1, len(whole) // page_size + 2):
        by_number += [i["slug"] for i in get(world, sort=sort, page_size=page_size, page=page)["items"]]
    assert by_number == whole
    assert _walk(world, f"{PRACTICES}?sort={sort}&page_size={page_size}", cursor_only=True) == whole
    assert _walk(world, f"{PRACTICES}?sort={sort}&page_size={page_size}") == whole


@pytest.mark.parametrize("sort", KEYSET_SORTS)
def test_cursor_pages_keep_the_filters_and_the_search(world: FlaskClient, sort: str) -> None:
    params = {"q": "logement", "right": ["housing", "security"], "sort": sort}
    whole = slugs(world, **params)
    assert len(whole) >= 2
    url = f"{PRACTICES}?{urlencode({**params, 'page_size': 1}, doseq=True)}"
    assert _walk(world, url, cursor_only=True) == whole


def test_links_next_carries_the_page_number_and_the_cursor(world: FlaskClient) -> None:
    response = world.get(PRACTICES, query_string={"page_size": 5, "page": 2, "sort": "title"})
    links = response.get_json()["links"]
    assert _query(links["next"])["page"] == ["3"] and _query(links["next"])["cursor"]
    assert all("cursor" not in _query(links[rel]) for rel in ("self", "first", "prev", "last"))
    assert f'<{links["next"]}>; rel="next"' in response.headers["Link"]
    # Following it with the cursor: the same page 3, numbered 3, whose own links are plain page numbers
    # but for self (the request as made) and next (none: the last page).
    third = world.get(links["next"]).get_json()
    assert third["items"] == get(world, page_size=5, page=3, sort="title")["items"]
    assert (third["page"], third["pages"], third["total"], third["links"]["next"]) == (3, 3, 12, None)
    assert _query(third["links"]["self"])["cursor"] == _query(links["next"])["cursor"]
    assert _query(third["links"]["prev"]) == {"page": ["2"], "page_size": ["5"], "sort": ["title"]}


def test_the_relevance_order_pages_by_number_only(world: FlaskClient) -> None:
    body = get(world, q="logement", page_size=1)
    assert body["total"] > 1
    assert "cursor" not in _query(body["links"]["next"]) and _query(body["links"]["next"])["page"] == ["2"]
    cursor = _query(get(world, q="logement", sort="title", page_size=1)["links"]["next"])["cursor"][0]
    for params in ({"q": "logement"}, {"q": "logement", "sort": "relevance"}):
        found = problem(world, PRACTICES, 400, cursor=cursor, **params)
        assert "relevance" in found["errors"]["cursor"][0]


@pytest.mark.parametrize("cursor", [
    "garbage", "!!!", "W10", "WyJ0aXRsZSJd", "bnVsbA", "x" * 1001,
    # well-formed JSON with the wrong shapes: a number for a time, a NUL in a slug, a year past any integer
    "WyItdXBkYXRlZF9hdCIsMSwiYSJd", "WyItdXBkYXRlZF9hdCIsIjIwMjQtMDEtMDEiLCJhXHUwMDAwIl0",
    "WyJzdGFydF95ZWFyIiw5OTk5OTk5OTk5OTk5OTk5OTk5OSwiYSJd", "WyItdXBkYXRlZF9hdCIsIm5vdCBhIHRpbWUiLCJhIl0",
])
def test_a_cursor_not_from_a_link_is_a_400_naming_it(world: FlaskClient, cursor: str) -> None:
    sort = "start_year" if "c3RhcnRf" in cursor else "-updated_at"
    assert "cursor" in problem(world, PRACTICES, 400, cursor=cursor, sort=sort)["errors"]


def test_a_cursor_of_another_sort_is_a_400_naming_it(world: FlaskClient) -> None:
    cursor = _query(get(world, sort="title", page_size=2)["links"]["next"])["cursor"][0]
    found = problem(world, PRACTICES, 400, cursor=cursor, sort="-title")
    assert "sort=title" in found["errors"]["cursor"][0] and found["detail"] == "The cursor cannot be used."
    assert problem(world, PRACTICES, 400, cursor=cursor)["errors"].keys() == {"cursor"}  # default -updated_at


def test_a_practice_inserted_before_the_cursor_shifts_nothing(world: FlaskClient, world_app: Flask) -> None:
    first = get(world, page_size=3)  # newest first
    next_url = first["links"]["next"]
    second = [item["slug"] for item in world.get(next_url).get_json()["items"]]
    with world_app.app_context():  # committed in the test's savepoint: a write between two page reads
        create_practice(at=datetime.now(UTC), slug="synthetic-newest-inserted", lead_local_government="madrid",
                        status="published", documentation="partial", title={"en": "Synthetic newest (test data)"})
        db.session.commit()
    assert slugs(world)[0] == "synthetic-newest-inserted"
    assert [item["slug"] for item in world.get(next_url).get_json()["items"]] == second
    by_offset = [item["slug"] for item in get(world, page_size=3, page=2)["items"]]
    assert by_offset == [first["items"][-1]["slug"], *second[:2]]  # what page numbers do instead


def _upper(statements: list[str]) -> list[str]:
    """Statements upper-cased on one line, to look for words in."""
    return [" ".join(statement.split()).upper() for statement in statements]


def test_a_cursor_page_uses_no_offset_and_the_count_no_order(world: FlaskClient, world_app: Flask) -> None:
    url = get(world, page_size=2, sort="-start_year")["links"]["next"]
    READS.clear()  # the first page's total is remembered (``read_cache``): forget it, to see the count run
    parameters: list[Any] = []
    with counting(world_app, parameters) as sent:
        assert world.get(url).status_code == 200
    seen = _upper(sent)
    (page,) = [n for n, s in enumerate(seen) if s.startswith("SELECT PRACTICES.") and "LIMIT" in s]
    # SQLite's compiler writes OFFSET 0 after every LIMIT: no offset means none or that one.
    assert "OFFSET" not in seen[page] or list(parameters[page])[-1] == 0
    (count,) = [s for s in seen if s.startswith("SELECT COUNT(")]
    assert "ORDER BY" not in count and "TITLE" not in count and "JOIN" not in count


@pytest.mark.parametrize("sort", ["relevance", "-updated_at"])
def test_a_search_matches_once_for_the_page_and_once_unranked_for_the_count(
    world: FlaskClient, world_app: Flask, sort: str
) -> None:
    with counting(world_app) as sent:
        body = get(world, q="logement", sort=sort, page_size=2)
    seen = _upper(sent)
    assert body["total"] >= 3 and len(body["items"]) == 2
    matching = [s for s in seen if "PRACTICE_SEARCH" in s]
    ranking = [s for s in matching if "BM25" in s or "TS_RANK" in s]
    assert len(matching) == 2
    assert len(ranking) == (1 if sort == "relevance" else 0)
    (count,) = [s for s in matching if s.startswith("SELECT COUNT(")]
    assert count.count("MATCH") + count.count("@@") == 1 and "BM25" not in count and "TS_RANK" not in count
    for statement in ranking:  # the ranked match is joined, not also filtered on by IN
        assert statement.count("MATCH") + statement.count("@@") == 1


def test_requests_without_a_cursor_answer_as_before(world: FlaskClient) -> None:
    body = get(world, page_size=5, page=2)
    assert (body["page"], body["pages"], body["total"]) == (2, 3, 12)
    assert list(body["links"]) == ["self", "first", "prev", "next", "last"]
    assert C in slugs(world) and A in slugs(world) and SEEDED["madrid"] in slugs(world)
