"""No N+1: the number of SQL statements a read sends does not grow with the rows it returns.

Statements are counted with a ``before_cursor_execute`` listener on the app's engine while one request
runs (outside any app context of the test, so each request starts with an empty session).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.extensions import db
from registry.services.read_cache import ANSWERS
from tests.conftest import BACKENDS, SharedDatabases, isolated, layer
from tests.factories import (
    SESSION,
    create_local_government,
    create_organisation,
    create_person,
    create_practice,
    create_session,
    insert_practices,
    question,
)
from tests.helpers import counting

BULK = 120
PAGE_SIZES = (1, 10, 100)
CITIES = 110


def build() -> None:
    """~120 bulk practices, a practice with few and one with many relations, towns, two sessions."""
    create_organisation(slug="synthetic-organisation-a")
    create_organisation(slug="synthetic-organisation-b")
    create_local_government(slug="synthetic-region", kind="region", networks=["uclg"])
    for n in range(CITIES):
        create_local_government(slug=f"synthetic-city-{n:03d}", parent="synthetic-region",
                                networks=["uclg", "uclg-cisdp"])
    insert_practices(BULK, leads=("madrid", "upala", "pikine", "synthetic-city-000"))
    create_practice(
        slug="synthetic-few-relations", lead_local_government="madrid", partner_local_governments=["upala"],
        session=SESSION, rights=["housing"], questions=[question(1)], target_groups=["women"],
        practice_types=["humanitarian-reception"], gcm_objectives=["gcm-objective-15"],
        gcm_principles=["human-rights"], sdg_targets=["10-7"], partner_organisations=["synthetic-organisation-a"],
        sources=[{"title": "Synthetic source (test data)", "kind": "other"}],
    )
    create_practice(
        slug="synthetic-many-relations", lead_local_government="synthetic-city-001",
        partner_local_governments=["upala", "pikine", "gaborone", "madrid", "sao-paulo", "pichincha",
                                   *(f"synthetic-city-{n:03d}" for n in range(2, 30))],
        session=SESSION,
        rights=["housing", "food", "health", "work", "security", "education", "participation", "liberty"],
        questions=[question(n) for n in range(1, 8)],
        target_groups=["women", "children", "refugees", "asylum-seekers", "migrant-workers", "older-people"],
        practice_types=["humanitarian-reception", "rights-based-governance", "needs-assessment",
                        "civil-society-cooperation"],
        gcm_objectives=[f"gcm-objective-{n}" for n in range(1, 24)],
        gcm_principles=["human-rights", "child-sensitive", "people-centred", "gender-responsive"],
        sdg_targets=["10-7", "10-c", "8-7", "8-8", "5-2", "16-2", "16-9", "11-1"],
        partner_organisations=["synthetic-organisation-a", "synthetic-organisation-b"],
        sources=[{"title": f"Synthetic source {n} (test data)", "kind": "report"} for n in range(12)],
    )
    # Each session has participants of every sort (a local government's, a network's, an organisation's), so
    # that neither can skip loading a kind of relation the other needs.
    kinds_of_person = [
        {"local_government": "madrid"}, {"network": "uclg"}, {"organisation": "synthetic-organisation-a"},
    ]
    for n in range(60):
        create_person(slug=f"synthetic-person-{n:02d}", **kinds_of_person[n % 3])
    create_session(
        slug="synthetic-small-session",
        participants=[{"person": f"synthetic-person-{n:02d}", "role": "speaker"} for n in range(3)],
        questions=[{"number": 1, "original_language": "en", "text": {"en": "Synthetic question (test data)?"}}],
    )
    create_session(
        slug="synthetic-big-session",
        participants=[{"person": f"synthetic-person-{n:02d}", "role": ("speaker", "moderator")[n % 2]}
                      for n in range(60)],
        questions=[{"number": n, "original_language": "en", "text": {"en": f"Synthetic question {n} (test data)?"}}
                   for n in range(1, 31)],
    )
    db.session.commit()


@pytest.fixture(scope="module", params=BACKENDS)
def bulk_layer(request: pytest.FixtureRequest, databases: SharedDatabases) -> Iterator[Flask]:
    """The seeds plus ``build``'s rows, once per engine for the module (its tests only read)."""
    yield from layer(request, databases, "seeded", build)


@pytest.fixture
def bulk_app(bulk_layer: Flask, databases: SharedDatabases, request: pytest.FixtureRequest) -> Iterator[Flask]:
    with isolated(databases, bulk_layer, request):
        yield bulk_layer


def statements_for(app: Flask, client: FlaskClient, url: str) -> tuple[int, dict]:
    with counting(app) as statements:
        response = client.get(url)
    assert statements, "no statement counted: the listener is not on the connection the request used"
    assert response.status_code == 200, response.get_json()
    return len(statements), response.get_json()


def counts_by_page_size(app: Flask, url: str, expected_items: int | None = None) -> dict[int, int]:
    client = app.test_client()
    client.get(url)  # warm up (first connection, caches)
    counts = {}
    for size in PAGE_SIZES:
        counts[size], body = statements_for(app, client, f"{url}&page_size={size}")
        assert len(body["items"]) == min(size, expected_items or size)
    return counts


def same(counts: dict) -> bool:
    return len(set(counts.values())) == 1


#: A practice list page in a sort order, once the same filters were counted: the data version (under which the
#: count and the catalog of referred records are remembered), the page's keys (read in the order's index), its
#: rows by id, and every embedded link in one statement. The relevance order reads its page in one (no keys first).
PRACTICE_PAGE = 4


def test_practice_list(bulk_app: Flask) -> None:
    counts = counts_by_page_size(bulk_app, "/api/v1/practices?sort=title")
    assert same(counts), counts
    assert counts[1] <= PRACTICE_PAGE, counts


def test_practice_list_with_filters_search_and_facets(bulk_app: Flask) -> None:
    facets = "local_government,country,region,network,right,question,target_group,practice_type,gcm_objective," \
             "sdg_target,session"
    counts = counts_by_page_size(bulk_app, f"/api/v1/practices?right=housing&right=food&facets={facets}")
    assert same(counts), counts
    # Eleven facets are one statement; the rights named are looked up once.
    assert counts[1] <= PRACTICE_PAGE + 2, counts
    counts = counts_by_page_size(bulk_app, "/api/v1/practices?q=synthetic")
    assert same(counts), counts
    assert counts[1] <= PRACTICE_PAGE, counts


def test_practice_detail(bulk_app: Flask) -> None:
    client = bulk_app.test_client()
    client.get("/api/v1/practices/synthetic-few-relations")
    ANSWERS.clear()  # the whole answer is kept too (``api.remembered``): count what building it takes
    counts = {}
    for slug in ("synthetic-few-relations", "synthetic-many-relations", "synthetic-bulk-0007"):
        counts[slug], body = statements_for(bulk_app, client, f"/api/v1/practices/{slug}")
        assert body["slug"] == slug
    assert same(counts), counts
    # The practice, the data version (its catalog of referred records is remembered), its links, its sources.
    assert counts["synthetic-many-relations"] <= 4, counts


def test_local_government_list(bulk_app: Flask) -> None:
    # country=FR: only synthetic towns, each in a province and in networks (so every relation is loaded)
    counts = counts_by_page_size(bulk_app, "/api/v1/local-governments?country=FR")
    assert same(counts), counts
    counts = counts_by_page_size(bulk_app, "/api/v1/local-governments?network=uclg-cisdp&q=city")
    assert same(counts), counts


def test_local_government_detail(bulk_app: Flask) -> None:
    client = bulk_app.test_client()
    client.get("/api/v1/local-governments/synthetic-city-000")
    counts = {}
    for slug in ("synthetic-city-000", "synthetic-city-001", "synthetic-city-100"):  # 30 practices, 1, none
        counts[slug], body = statements_for(bulk_app, client, f"/api/v1/local-governments/{slug}")
        assert body["parent"]["slug"] == "synthetic-region"
    assert same(counts), counts


def test_session_detail(bulk_app: Flask) -> None:
    client = bulk_app.test_client()
    client.get("/api/v1/sessions/synthetic-small-session")
    small, body = statements_for(bulk_app, client, "/api/v1/sessions/synthetic-small-session")
    assert (len(body["participants"]), len(body["questions"])) == (3, 1)
    big, body = statements_for(bulk_app, client, "/api/v1/sessions/synthetic-big-session")
    assert (len(body["participants"]), len(body["questions"])) == (60, 30)
    assert small == big


def test_question_list(bulk_app: Flask) -> None:
    counts = counts_by_page_size(bulk_app, "/api/v1/questions?session=synthetic-big-session", expected_items=30)
    assert same(counts), counts


def test_the_data_is_there(bulk_app: Flask) -> None:
    client = bulk_app.test_client()
    # The six seeded practices are draft stubs, out of the public list.
    assert client.get("/api/v1/practices?page_size=1").get_json()["total"] == BULK + 2
    assert client.get("/api/v1/local-governments?country=FR&page_size=1").get_json()["total"] == CITIES + 1
    many = client.get("/api/v1/practices/synthetic-many-relations").get_json()
    assert len(many["gcm_objectives"]) == 23 and len(many["partner_local_governments"]) == 34
    bulk = client.get("/api/v1/practices/synthetic-bulk-0001").get_json()
    assert [len(bulk[k]) for k in ("rights", "target_groups", "gcm_objectives", "sdg_targets",
                                    "partner_local_governments")] == [3, 3, 3, 3, 2]
