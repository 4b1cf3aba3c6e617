"""GET /api/v1/practices: what is visible, filters and search (on the practices ``world``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from flask.testing import FlaskClient

from registry.api.practices.schemas import PracticeQueryArgsSchema
from registry.services.practices import FILTERS
from tests.api.practice_world import (
    INVISIBLE,
    PUBLISHED,
    SEEDED,
    SYNTHETIC,
    TOWN_A,
    A,
    B,
    C,
    D,
    E,
    F,
    found,
    get,
    problem,
    seeded,
    slugs,
)
from tests.factories import SESSION, question

# --- what is visible ------------------------------------------------------------------------------------------


def test_list_holds_every_published_practice_and_nothing_else(world: FlaskClient) -> None:
    body = get(world, page_size=100)
    assert body["total"] == len(PUBLISHED) == 12
    assert {item["slug"] for item in body["items"]} == set(PUBLISHED)
    assert {item["status"] for item in body["items"]} == {"published"}


@pytest.mark.parametrize("slug", INVISIBLE)
def test_unpublished_or_deleted_practice_has_no_detail(world: FlaskClient, slug: str) -> None:
    body = problem(world, f"/api/v1/practices/{slug}", 404)
    assert slug in body["detail"]


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_asking_for_a_status_without_a_token_shows_no_unpublished_practice(world: FlaskClient, status: str) -> None:
    response = world.get("/api/v1/practices", query_string={"status": status, "page_size": 100})
    if response.status_code == 200:
        assert not {item["slug"] for item in response.get_json()["items"]} & set(INVISIBLE)
    else:
        assert response.status_code in {400, 401, 403}
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "params",
    [
        {"right": "liberty"},
        {"target_group": "lgbtiq-people"},
        {"practice_type": "communicating-benefits"},
        {"gcm_objective": "gcm-objective-23"},
        {"sdg_target": "8-7"},
        {"question": question(7)},
        {"q": "brouillon"},
        {"q": "rascunho"},
    ],
)
def test_unpublished_practices_match_no_filter_and_no_search(world: FlaskClient, params: dict[str, str]) -> None:
    assert slugs(world, **params) == []


def test_unpublished_practices_count_in_no_facet(world: FlaskClient) -> None:
    facets = get(world, facets="right,target_group,practice_type,gcm_objective,sdg_target,question,local_government")[
        "facets"
    ]
    values = {name: {f["value"] for f in facet} for name, facet in facets.items()}
    assert "liberty" not in values["right"]
    assert "lgbtiq-people" not in values["target_group"]
    assert "communicating-benefits" not in values["practice_type"]
    assert "gcm-objective-23" not in values["gcm_objective"]
    assert "8-7" not in values["sdg_target"]
    assert question(7) not in values["question"]
    counts = {name: {f["value"]: f["count"] for f in facet} for name, facet in facets.items()}
    assert counts["right"]["housing"] == 2  # A and B; the four hidden ones also name housing
    assert counts["gcm_objective"]["gcm-objective-15"] == 3  # A, C, D


# --- filters --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # a local government leading or partnering
        ({"local_government": "madrid"}, {SEEDED["madrid"], A, E}),
        ({"local_government": "sao-paulo"}, {B, E}),
        ({"local_government": "pikine"}, {SEEDED["pikine"], A, F}),
        ({"local_government": TOWN_A}, {D, C}),
        ({"local_government": ["madrid", "upala"]}, {SEEDED["madrid"], A, E, SEEDED["upala"], C}),
        # the lead local government's country
        ({"country": "ES"}, {SEEDED["madrid"], A}),
        ({"country": "BR"}, {B}),
        ({"country": "MX"}, {E}),
        ({"country": ["ES", "BR"]}, {SEEDED["madrid"], A, B}),
        ({"country": "JP"}, set()),
        # UN M49 region, sub-region or intermediate region of the lead
        ({"region": "019"}, seeded("upala", "pichincha", "quetzaltenango") | {B, C, E}),
        ({"region": "419"}, seeded("upala", "pichincha", "quetzaltenango") | {B, C, E}),
        ({"region": "013"}, seeded("upala", "quetzaltenango") | {C, E}),
        ({"region": "005"}, seeded("pichincha") | {B}),
        ({"region": "150"}, seeded("madrid") | {A, D}),
        ({"region": "155"}, {D}),
        ({"region": "002"}, seeded("pikine", "gaborone") | {F}),
        ({"region": ["013", "005"]}, seeded("upala", "quetzaltenango", "pichincha") | {B, C, E}),
        # networks of the lead (C's partner is a member of both networks, its lead is not)
        ({"network": "uclg"}, {D, E}),
        ({"network": "uclg-cisdp"}, {D}),
        # classifications
        ({"right": "housing"}, {A, B}),
        ({"right": "food"}, {A, D}),
        ({"right": ["housing", "food"]}, {A, B, D}),
        ({"right": ["housing", "housing"]}, {A, B}),
        ({"right": "security"}, {C}),
        ({"right": "health"}, set()),
        ({"question": question(5)}, {A, C}),
        ({"question": [question(1), question(2)]}, {C, E}),
        ({"target_group": "women"}, {A, D}),
        ({"target_group": ["children", "refugees"]}, {A, B}),
        ({"practice_type": "humanitarian-reception"}, {A}),
        ({"practice_type": ["humanitarian-reception", "rights-based-governance"]}, {A, E}),
        ({"gcm_objective": "gcm-objective-15"}, {A, C, D}),
        ({"gcm_objective": ["gcm-objective-16", "gcm-objective-6"]}, {B, D, E}),
        ({"sdg_target": "10-7"}, {B}),
        ({"sdg_target": ["11-1", "1-3"]}, {A, D}),
        ({"session": SESSION}, set(SEEDED.values()) | {A, C, E}),
        # different parameters: all of them
        ({"right": "housing", "country": "ES"}, {A}),
        ({"right": ["housing", "food"], "region": "150"}, {A, D}),
        ({"gcm_objective": "gcm-objective-15", "target_group": "women", "region": "150"}, {A, D}),
        ({"local_government": "madrid", "right": "work"}, {E}),
        ({"session": SESSION, "right": "food"}, {A}),
        ({"network": "uclg", "right": "work"}, {E}),
        ({"question": question(5), "country": "CR"}, {C}),
        ({"right": "food", "country": "BR"}, set()),
    ],
)
def test_filters(world: FlaskClient, params: dict[str, Any], expected: set[str]) -> None:
    assert found(world, **params) == expected


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        # 13:00 at +01:00 is A's and B's 12:00 UTC: "at or after" keeps them (read as 13:00 UTC, it would not)
        (datetime(2024, 3, 1, 13, 0, tzinfo=timezone(timedelta(hours=1))), {A, B, C}),
        (datetime(2024, 3, 1, 7, 0, tzinfo=timezone(timedelta(hours=-5))), {A, B, C}),
        (datetime(2024, 3, 1, 12, 0, 1, tzinfo=UTC), {C}),
        # 01:00 at +01:00 is D's midnight UTC
        (datetime(2022, 1, 10, 1, 0, tzinfo=timezone(timedelta(hours=1))), {A, B, C, D}),
        (datetime(2000, 1, 1, tzinfo=UTC), set(SYNTHETIC)),
    ],
)
def test_updated_since_honours_the_offset(world: FlaskClient, since: datetime, expected: set[str]) -> None:
    # the seeds were written when the test database was made, after every synthetic time
    assert found(world, updated_since=since.isoformat()) == expected | set(SEEDED.values())


def test_updated_since_with_z_and_after_everything(world: FlaskClient) -> None:
    assert found(world, updated_since="2024-06-01T08:00:00Z") == {C} | set(SEEDED.values())
    assert found(world, updated_since=(datetime.now(UTC) + timedelta(days=1)).isoformat()) == set()


def test_updated_since_needs_an_offset(world: FlaskClient) -> None:
    body = problem(world, "/api/v1/practices", 400, updated_since="2024-03-01T12:00:00")
    assert "updated_since" in body["errors"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("local_government", "atlantis"),
        ("country", "XX"),
        ("country", "es"),
        ("region", "999"),
        ("network", "no-such-network"),
        ("right", "no-such-right"),
        ("question", "droits-humains-des-migrants-q99"),
        ("target_group", "no-such-group"),
        ("practice_type", "no-such-type"),
        ("gcm_objective", "gcm-objective-24"),
        ("sdg_target", "99-9"),
        ("session", "no-such-session"),
        ("sort", "popularity"),
        ("page", "0"),
        ("page_size", "0"),
        ("page_size", "101"),
        ("facets", "colour"),
    ],
)
def test_a_value_naming_nothing_is_a_400_naming_the_parameter(world: FlaskClient, name: str, value: str) -> None:
    body = problem(world, "/api/v1/practices", 400, **{name: value})
    assert list(body["errors"]) == [name]


def test_an_unknown_value_among_known_ones_is_still_an_error(world: FlaskClient) -> None:
    body = problem(world, "/api/v1/practices", 400, right=["housing", "no-such-right"])
    assert "no-such-right" in str(body["errors"]["right"])


@pytest.mark.parametrize("name", ["rigth", "status_", "lang", "q2"])
def test_an_unknown_parameter_is_a_400_naming_it(world: FlaskClient, name: str) -> None:
    body = problem(world, "/api/v1/practices", 400, **{name: "housing"})
    assert name in body["errors"]


# --- search ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["logement", "LOGEMENT", "Logement", "logément", "loge*", "LOGE*"])
def test_search_is_case_and_accent_insensitive_with_prefixes(world: FlaskClient, q: str) -> None:
    # A and B have the word in a title, C only in its description; the hidden practices have it in titles
    assert found(world, q=q) == {A, B, C}


@pytest.mark.parametrize("q", ["migracao", "migração", "MIGRAÇÃO", "Migracão"])
def test_search_folds_cedilla_and_tilde(world: FlaskClient, q: str) -> None:
    # B says "migração" in its title; Madrid's seeded summary says it in Portuguese ("para a migração")
    assert slugs(world, q=q) == [B, SEEDED["madrid"]]


def test_search_tells_migracion_from_migracao(world: FlaskClient) -> None:
    # "migración" (Spanish, in Madrid's seeded summary) folds to "migracion", not to "migracao"
    assert found(world, q="migracion") == {SEEDED["madrid"]}


@pytest.mark.parametrize("q", ["sao paulo", "São Paulo", "SAO PAULO", "paulo"])
def test_search_finds_the_lead_local_governments_name(world: FlaskClient, q: str) -> None:
    # B's text never names São Paulo: only its lead does. E merely partners with São Paulo.
    assert slugs(world, q=q) == [B]


def test_search_phrase_needs_adjacent_words(world: FlaskClient) -> None:
    assert found(world, q='"logement d\'abord"') == {A}
    assert found(world, q='"logement et citoyenneté"') == {B}
    assert found(world, q='"logement citoyenneté"') == set()
    assert found(world, q="logement citoyenneté") == {B}


def test_search_requires_every_word(world: FlaskClient) -> None:
    assert found(world, q="logement familles") == {A}
    assert found(world, q="logement kitchens") == set()


def test_search_combines_with_filters(world: FlaskClient) -> None:
    assert found(world, q="logement", country="ES") == {A}
    assert found(world, q="logement", right="non-discrimination") == {B, C}
    assert found(world, q="migracao", local_government="sao-paulo") == {B}


def test_search_sorts_by_relevance_by_default(world: FlaskClient) -> None:
    ranked = slugs(world, q="logement")
    # titles (A, B) before a description (C), although C is the most recently updated
    assert set(ranked[:2]) == {A, B} and ranked[2] == C
    assert slugs(world, q="logement", sort="relevance") == ranked
    assert slugs(world, q="logement", sort="-updated_at") == [C, A, B]
    assert slugs(world, q="logement", sort="title") == [B, A, C]  # "Centro ...", "Logement ...", "Seguridad ..."


def test_equal_relevance_is_broken_by_slug(world: FlaskClient) -> None:
    # E and F have the same title and nothing else that says "bolsa"
    assert slugs(world, q="bolsa") == [F, E]
    assert slugs(world, q="bolsa trabajo") == [F, E]


def test_relevance_without_a_search_is_a_400_naming_sort(world: FlaskClient) -> None:
    body = problem(world, "/api/v1/practices", 400, sort="relevance")
    assert list(body["errors"]) == ["sort"]


@pytest.mark.parametrize("q", ["", "   ", "***", '"'])
def test_a_search_without_words_is_a_400_naming_q(world: FlaskClient, q: str) -> None:
    body = problem(world, "/api/v1/practices", 400, q=q)
    assert list(body["errors"]) == ["q"]


def test_the_list_takes_a_parameter_for_every_filter_the_service_knows() -> None:
    """``PracticeQueryArgsSchema`` declares one field per filter: a filter added to ``practices.FILTERS``
    without its parameter (or the reverse) would be unreachable or refused."""
    declared = set(PracticeQueryArgsSchema().fields)
    assert set(FILTERS) <= declared
    assert declared - set(FILTERS) == {"page", "page_size", "cursor", "q", "updated_since", "sort", "status", "facets"}
