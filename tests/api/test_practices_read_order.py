"""GET /api/v1/practices and /{slug}: sorting, facets, the envelope and paging, the detail (on the ``world``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient

from tests.api.practice_world import (
    ORGANISATION,
    SEED_LABELS,
    SEEDED,
    SESSION_SEED,
    TOWN_A,
    TOWN_B,
    A,
    B,
    C,
    D,
    E,
    F,
    get,
    problem,
    slugs,
)
from tests.factories import SESSION, question

# --- sorting --------------------------------------------------------------------------------------------------

NO_START_YEAR = sorted([*SEEDED.values(), F])  # nulls last, by slug


def _by_time(seed_times: dict[str, datetime], *, descending: bool) -> list[str]:
    ordered = sorted(seed_times, key=lambda slug: slug)
    return sorted(ordered, key=lambda slug: seed_times[slug], reverse=descending)


def test_default_sort_is_most_recently_updated_first(world: FlaskClient, seed_times: dict[str, datetime]) -> None:
    expected = [*_by_time(seed_times, descending=True), C, A, B, D, F, E]
    assert slugs(world) == expected
    assert slugs(world, sort="-updated_at") == expected


def test_sort_by_updated_at(world: FlaskClient, seed_times: dict[str, datetime]) -> None:
    assert slugs(world, sort="updated_at") == [F, E, D, A, B, C, *_by_time(seed_times, descending=False)]


def test_sort_by_title_in_the_original_language(world: FlaskClient) -> None:
    # E and F have the same title: the slug decides, in both directions
    by_title = [
        F, E,  # "Bolsa de trabajo ..."
        B,  # "Centro de acolhida ..." (pt)
        D,  # "Community kitchens ..."
        SEEDED["upala"],  # "Contribution d'Upala ..."
        SEEDED["gaborone"], SEEDED["madrid"], SEEDED["pichincha"], SEEDED["pikine"], SEEDED["quetzaltenango"],
        A,  # "Logement d'abord ..." (fr; its English title would sort before "Centro")
        C,  # "Seguridad comunitaria ..."
    ]
    assert slugs(world, sort="title") == by_title
    descending = [
        C, A, SEEDED["quetzaltenango"], SEEDED["pikine"], SEEDED["pichincha"], SEEDED["madrid"], SEEDED["gaborone"],
        SEEDED["upala"], D, B, F, E,
    ]
    assert slugs(world, sort="-title") == descending


def test_sort_by_start_year(world: FlaskClient) -> None:
    # A and D both started in 2016
    assert slugs(world, sort="start_year") == [C, A, D, B, E, *NO_START_YEAR]
    assert slugs(world, sort="-start_year") == [E, B, A, D, C, *NO_START_YEAR]


@pytest.mark.parametrize("sort", ["-updated_at", "updated_at", "title", "-title", "start_year", "-start_year"])
def test_pages_follow_the_sort_without_gaps_or_repeats(world: FlaskClient, sort: str) -> None:
    whole = slugs(world, sort=sort)
    paged: list[str] = []
    url: str | None = f"/api/v1/practices?sort={sort}&page_size=5"
    while url:
        response = world.get(url)
        assert response.status_code == 200
        body = response.get_json()
        paged += [item["slug"] for item in body["items"]]
        url = body["links"]["next"]
    assert paged == whole


# --- facets ---------------------------------------------------------------------------------------------------

ALL_FACETS = (
    "local_government", "country", "region", "network", "right", "question", "target_group", "practice_type",
    "gcm_objective", "sdg_target", "session",
)


def facet(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"value": value, "count": count} for value, count in pairs]


EXPECTED_FACETS = {
    "right": facet(("food", 2), ("housing", 2), ("non-discrimination", 2), ("work", 2), ("security", 1)),
    "country": facet(("CR", 2), ("ES", 2), ("SN", 2), ("BR", 1), ("BW", 1), ("EC", 1), ("FR", 1), ("GT", 1),
                     ("MX", 1)),
    "region": facet(("019", 6), ("002", 3), ("150", 3)),
    "network": facet(("uclg", 2), ("uclg-cisdp", 1)),
    "target_group": facet(("women", 2), ("children", 1), ("migrant-workers", 1), ("most-vulnerable", 1),
                          ("refugees", 1), ("unaccompanied-minors", 1)),
    "practice_type": facet(("civil-society-cooperation", 1), ("humanitarian-reception", 1),
                           ("participation-and-inclusion", 1), ("protection-of-the-most-vulnerable", 1),
                           ("rights-based-governance", 1)),
    "gcm_objective": facet(("gcm-objective-15", 3), ("gcm-objective-16", 2), ("gcm-objective-6", 1),
                           ("gcm-objective-7", 1)),
    "sdg_target": facet(("1-3", 1), ("10-7", 1), ("11-1", 1), ("16-2", 1), ("8-8", 1)),
    "question": facet((question(5), 2), (question(1), 1), (question(2), 1)),
    "session": facet((SESSION, 9)),
    # lead or partner, as the local_government filter reads it
    "local_government": facet(("madrid", 3), ("pikine", 3), ("sao-paulo", 2), (TOWN_A, 2), ("upala", 2),
                              ("gaborone", 1), ("pichincha", 1), ("quetzaltenango", 1), (TOWN_B, 1)),
}


@pytest.mark.parametrize("name", ALL_FACETS)
def test_facet_counts_over_everything_published(world: FlaskClient, name: str) -> None:
    body = get(world, facets=name)
    assert list(body["facets"]) == [name]
    assert body["facets"][name] == EXPECTED_FACETS[name]


def test_several_facets_at_once_in_the_order_asked(world: FlaskClient) -> None:
    body = get(world, facets="right,country,region,local_government,network,target_group,session")
    assert list(body["facets"]) == ["right", "country", "region", "local_government", "network", "target_group",
                                    "session"]
    for name, values in body["facets"].items():
        assert values == EXPECTED_FACETS[name], name
    assert body["total"] == 12


def test_no_facets_unless_asked(world: FlaskClient) -> None:
    assert "facets" not in get(world)


def test_facets_count_under_the_current_filters(world: FlaskClient) -> None:
    body = get(world, right="housing", facets="country,right,target_group,local_government")
    assert body["total"] == 2
    assert body["facets"] == {
        "country": facet(("BR", 1), ("ES", 1)),
        "right": facet(("housing", 2), ("food", 1), ("non-discrimination", 1)),
        "target_group": facet(("children", 1), ("refugees", 1), ("women", 1)),
        "local_government": facet(("madrid", 1), ("pikine", 1), ("sao-paulo", 1)),
    }


def test_facets_count_under_a_search(world: FlaskClient) -> None:
    body = get(world, q="logement", facets="country,right")
    assert body["facets"]["country"] == facet(("BR", 1), ("CR", 1), ("ES", 1))
    assert body["facets"]["right"] == facet(
        ("housing", 2), ("non-discrimination", 2), ("food", 1), ("security", 1)
    )


def test_facets_of_an_empty_result_are_empty(world: FlaskClient) -> None:
    body = get(world, right="health", facets="country,right")
    assert body["total"] == 0
    assert body["facets"] == {"country": [], "right": []}


@pytest.mark.parametrize("base", [{}, {"right": "housing"}, {"region": "019"}, {"q": "logement"}])
def test_each_facet_count_is_what_its_filter_would_return(world: FlaskClient, base: dict[str, str]) -> None:
    # A facet that is also a filter of ``base`` counts within that filter: no query string says that alone.
    facets = get(world, facets=",".join(ALL_FACETS), **base)["facets"]
    for name, values in facets.items():
        if name in base:
            continue
        for entry in values:
            total = get(world, page_size=1, **{**base, name: entry["value"]})["total"]
            assert (name, entry["value"], entry["count"]) == (name, entry["value"], total)


# --- the envelope and paging ----------------------------------------------------------------------------------


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _link_header(header: str) -> dict[str, str]:
    links = {}
    for part in header.split(", <"):
        url, rel = part.lstrip("<").split(">; rel=")
        links[rel.strip('"')] = url
    return links


def test_envelope_and_link_header(world: FlaskClient) -> None:
    response = world.get("/api/v1/practices", query_string={"page_size": 5, "page": 2})
    body = response.get_json()
    assert list(body) == ["items", "total", "page", "page_size", "pages", "links"]
    assert (len(body["items"]), body["total"], body["page"], body["page_size"], body["pages"]) == (5, 12, 2, 5, 3)
    links = body["links"]
    assert list(links) == ["self", "first", "prev", "next", "last"]
    assert {rel: _query(url)["page"] for rel, url in links.items()} == {
        "self": ["2"], "first": ["1"], "prev": ["1"], "next": ["3"], "last": ["3"]
    }
    assert all(_query(url)["page_size"] == ["5"] for url in links.values())
    assert _link_header(response.headers["Link"]) == links


def test_first_and_last_pages(world: FlaskClient) -> None:
    first = world.get("/api/v1/practices?page_size=5")
    assert first.get_json()["links"]["prev"] is None
    assert set(_link_header(first.headers["Link"])) == {"self", "first", "next", "last"}
    last = world.get("/api/v1/practices?page_size=5&page=3")
    body = last.get_json()
    assert len(body["items"]) == 2 and body["links"]["next"] is None
    assert set(_link_header(last.headers["Link"])) == {"self", "first", "prev", "last"}


def test_default_page_size_is_twenty(world: FlaskClient) -> None:
    body = get(world)
    assert (body["page"], body["page_size"], body["pages"], len(body["items"])) == (1, 20, 1, 12)
    assert body["links"]["next"] is None and body["links"]["prev"] is None


def test_page_past_the_end_is_empty(world: FlaskClient) -> None:
    body = get(world, page_size=5, page=9)
    assert body["items"] == []
    assert (body["total"], body["page"], body["pages"]) == (12, 9, 3)
    assert body["links"]["next"] is None
    assert _query(body["links"]["prev"])["page"] == ["3"]
    assert _query(body["links"]["last"])["page"] == ["3"]


def test_empty_result_has_no_pages(world: FlaskClient) -> None:
    body = get(world, right="health")
    assert (body["items"], body["total"], body["pages"]) == ([], 0, 0)
    assert body["links"]["next"] is None and body["links"]["prev"] is None


def test_links_keep_the_filters_and_search(world: FlaskClient) -> None:
    body = get(world, right=["housing", "food"], q="logement", sort="title", page_size=1)
    assert body["total"] == 2  # A and B
    params = _query(body["links"]["self"])
    assert params["right"] == ["housing", "food"]
    assert params["q"] == ["logement"] and params["sort"] == ["title"]


def test_links_keep_accented_search_text(world: FlaskClient) -> None:
    body = get(world, q="são paulo", page_size=1)
    assert _query(body["links"]["self"])["q"] == ["são paulo"]
    assert world.get(body["links"]["first"]).get_json()["items"][0]["slug"] == B


def test_list_item_embeds_its_classifications(world: FlaskClient) -> None:
    item = next(i for i in get(world, page_size=100)["items"] if i["slug"] == A)
    assert item["lead_local_government"] == {"slug": "madrid", "label": SEED_LABELS["local_governments"]["madrid"],
                                             "country": "ES"}
    assert [r["slug"] for r in item["rights"]] == ["food", "housing"]
    assert item["session"]["slug"] == SESSION
    assert item["documentation"] == "complete"
    assert item["updated_at"] == "2024-03-01T12:00:00Z"


# --- detail ---------------------------------------------------------------------------------------------------


def refs(kind: str, *slugs_: str) -> list[dict[str, Any]]:
    return [{"slug": slug, "label": SEED_LABELS[kind][slug]} for slug in slugs_]


def test_detail_embeds_every_relation_with_slug_and_label(world: FlaskClient) -> None:
    response = world.get(f"/api/v1/practices/{A}")
    assert response.status_code == 200
    p = response.get_json()
    assert p["slug"] == A and p["status"] == "published" and p["original_language"] == "fr"
    assert p["title"] == {"fr": "Logement d'abord pour les familles migrantes",
                          "en": "Housing first for migrant families"}
    assert p["lead_local_government"] == {"slug": "madrid", "label": SEED_LABELS["local_governments"]["madrid"],
                                          "country": "ES"}
    assert p["partner_local_governments"] == [
        {"slug": "pikine", "label": SEED_LABELS["local_governments"]["pikine"], "country": "SN"}
    ]
    assert p["rights"] == refs("rights", "food", "housing")
    assert p["target_groups"] == refs("target_groups", "children", "women")
    assert p["practice_types"] == refs("practice_types", "humanitarian-reception")
    assert p["gcm_objectives"] == [{"slug": "gcm-objective-15", "number": 15,
                                    "label": SEED_LABELS["gcm_objectives"]["gcm-objective-15"]}]
    assert p["gcm_principles"] == [
        {"slug": "human-rights", "number": 6, "label": SEED_LABELS["gcm_principles"]["human-rights"]},
        {"slug": "child-sensitive", "number": 8, "label": SEED_LABELS["gcm_principles"]["child-sensitive"]},
    ]
    assert p["sdg_targets"] == [{"slug": "11-1", "code": "11.1", "label": SEED_LABELS["sdg_targets"]["11-1"]}]
    q5 = SESSION_SEED["questions"][4]
    assert p["questions"] == [{"slug": question(5), "number": 5, "label": q5["text"]}]
    assert p["session"] == {"slug": SESSION, "label": SESSION_SEED["title"]}
    assert p["partner_organisations"] == [
        {"slug": ORGANISATION, "label": {"en": "Synthetic partner organisation (test data)"}}
    ]
    assert p["sources"] == [{"title": "Synthetic report (test data)", "url": "https://example.org/synthetic-report",
                             "kind": "report", "date": "2020-05-17"}]
    assert (p["start_year"], p["end_year"]) == (2016, 2020)
    assert p["funding_kinds"] == ["municipal budget"] and p["funding_independent_of_state"] is True
    assert p["outcomes"] == {"fr": "Résultats synthétiques."} and p["evidence"] == {"fr": "Preuves synthétiques."}
    assert p["provenance"].startswith("Synthetic test data")
    assert p["version"] == 1
    assert p["updated_at"] == p["created_at"] == p["published_at"] == "2024-03-01T12:00:00Z"


def test_detail_of_a_seeded_practice(world: FlaskClient) -> None:
    p = get(world, f"/api/v1/practices/{SEEDED['pikine']}")
    assert p["documentation"] == "partial"
    assert p["lead_local_government"]["slug"] == "pikine"
    assert p["session"] == {"slug": SESSION, "label": SESSION_SEED["title"]}
    for relation in ("rights", "questions", "target_groups", "practice_types", "gcm_objectives", "gcm_principles",
                     "sdg_targets", "partner_local_governments", "partner_organisations"):
        assert p[relation] == [], relation
    assert [s["kind"] for s in p["sources"]] == ["concept_note"]


def test_detail_without_session(world: FlaskClient) -> None:
    p = get(world, f"/api/v1/practices/{D}")
    assert p["session"] is None
    assert p["lead_local_government"] == {"slug": TOWN_A, "label": {"fr": "Commune synthétique A (données de test)"},
                                          "country": "FR"}


def test_unknown_slug_is_a_404_problem(world: FlaskClient) -> None:
    body = problem(world, "/api/v1/practices/no-such-practice", 404)
    assert "no-such-practice" in body["detail"]


def test_detail_and_list_send_etag_and_public_caching(world: FlaskClient) -> None:
    for url in ("/api/v1/practices", f"/api/v1/practices/{A}"):
        response = world.get(url)
        assert response.headers["ETag"]
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert world.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
