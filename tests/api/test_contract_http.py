"""HTTP behaviour of every read: caching with ETags, CORS for reads, walking every page of every list."""

from __future__ import annotations

import math

import pytest

from tests.api.routes import DETAIL_RULES, LIST_RULES, ORIGIN, concrete, first_slugs, header_set, links_of
from tests.helpers import API

# --- Caching ------------------------------------------------------------------------------


def _assert_cacheable(reader, url: str) -> str:
    response = reader.get(url)
    assert response.status_code == 200, url
    etag = response.headers.get("ETag")
    assert etag, f"{url}: no ETag"
    assert response.headers.get("Cache-Control") == "public, max-age=60", url
    again = reader.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304, url
    assert again.get_data() == b"", url
    assert again.headers.get("ETag") == etag, f"{url}: a 304 repeats the ETag"
    assert again.headers.get("Cache-Control") == "public, max-age=60", url
    stale = reader.get(url, headers={"If-None-Match": '"not-the-current-one"'})
    assert stale.status_code == 200 and stale.headers["ETag"] == etag, url
    return etag


@pytest.mark.parametrize("rule", LIST_RULES)
def test_lists_are_cacheable(reader, rule: str) -> None:
    one = _assert_cacheable(reader, f"{rule}?page_size=1")
    two = _assert_cacheable(reader, f"{rule}?page_size=2")
    assert one != two, "another representation has another ETag"


@pytest.mark.parametrize("rule", DETAIL_RULES)
def test_details_are_cacheable(reader, rule: str) -> None:
    slugs = first_slugs(reader, rule.removesuffix("/<slug>"))
    assert len(slugs) == 2, f"{rule}: the test data needs two records"
    etags = [_assert_cacheable(reader, concrete(rule, slug)) for slug in slugs]
    assert etags[0] != etags[1]


def test_spec_is_cacheable(reader) -> None:
    _assert_cacheable(reader, f"{API}/openapi.json")


# --- CORS ---------------------------------------------------------------------------------


def test_public_reads_answer_any_origin(reader) -> None:
    urls = [f"{rule}?page_size=1" for rule in LIST_RULES]
    urls += [concrete(rule, first_slugs(reader, rule.removesuffix("/<slug>"), 1)[0]) for rule in DETAIL_RULES]
    urls += [f"{API}/openapi.json", f"{API}/practices/no-such-slug", f"{API}/practices?colour=blue"]
    for url in urls:
        response = reader.get(url, headers={"Origin": ORIGIN})
        assert response.headers.get("Access-Control-Allow-Origin") == "*", url
        assert {"etag", "link"} <= header_set(response, "Access-Control-Expose-Headers"), url


@pytest.mark.parametrize("rule", [f"{API}/practices", f"{API}/practices/<slug>", f"{API}/rights"])
def test_read_preflight_is_answered(reader, rule: str) -> None:
    response = reader.options(concrete(rule, "madrid-droits-humains-des-migrants"), headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "If-None-Match",
    })
    assert 200 <= response.status_code < 300
    assert response.headers.get("Access-Control-Allow-Origin") == "*"
    assert "get" in header_set(response, "Access-Control-Allow-Methods")
    assert "if-none-match" in header_set(response, "Access-Control-Allow-Headers")


def test_writes_get_no_cors_by_default(reader) -> None:
    preflight = reader.options(f"{API}/practices", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type",
    })
    assert "Access-Control-Allow-Origin" not in preflight.headers, preflight.headers
    post = reader.post(f"{API}/practices", json={}, headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in post.headers, post.headers


@pytest.mark.parametrize("page_size", [1, 2])
@pytest.mark.parametrize("rule", LIST_RULES)
def test_walking_every_page_lists_everything_once(reader, rule: str, page_size: int) -> None:
    everything = reader.get(f"{rule}?page_size=100").json
    total = everything["total"]
    assert total == len(everything["items"]) >= 2, f"{rule}: the test data needs two records"
    pages = math.ceil(total / page_size)
    seen: list[str] = []
    url: str | None = f"{rule}?page_size={page_size}"
    number = 0
    while url is not None:
        number += 1
        assert number <= pages, f"{rule}: links.next goes past page {pages}"
        response = reader.get(url)
        assert response.status_code == 200, url
        body = response.json
        assert (body["page"], body["page_size"], body["total"], body["pages"]) == (number, page_size, total, pages)
        assert 1 <= len(body["items"]) <= page_size, url
        seen += [item["slug"] for item in body["items"]]
        links = body["links"]
        header = links_of(response)
        assert header == {rel: href for rel, href in links.items() if href}, "Link header = links"
        assert (links["prev"] is None) == (number == 1), url
        assert ("next" in header) == (number < pages), url
        url = links["next"]
    assert number == pages
    assert len(seen) == len(set(seen)) == total, f"{rule}: duplicates or gaps in {seen}"
    assert seen == [item["slug"] for item in everything["items"]], "pages keep the list's order"

    past = reader.get(f"{rule}?page_size={page_size}&page={pages + 1}")
    assert past.status_code == 200
    assert (past.json["items"], past.json["total"], past.json["pages"]) == ([], total, pages)
    assert past.json["links"]["next"] is None and "next" not in links_of(past)
