"""GET /api/v1/practices and /api/v1/practices/{slug}: filters, search, sorting, facets, paging, detail.

The seeds hold six published practices (one per speaking local government, no classification). The
``world`` fixture adds synthetic practices through the write path, each chosen so that every assertion
below tells a right answer from a plausible wrong one, plus practices that must stay invisible (draft,
in review, archived, soft-deleted). Every test here only reads, so one such database per engine serves
the whole module (a copy of the seeded template, as ``seeded_app`` makes, built once).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from registry.extensions import db
from registry.models import Practice
from tests.conftest import BACKENDS, PostgresServer, Templates
from tests.factories import (
    SESSION,
    create_local_government,
    create_organisation,
    create_practice,
    question,
    shared_seeded_app,
    utc,
)

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SPEAKERS = ("upala", "pikine", "gaborone", "madrid", "pichincha", "quetzaltenango")
SEEDED = {lg: f"{lg}-droits-humains-des-migrants" for lg in SPEAKERS}

# The synthetic published practices (see ``world``).
A = "synthetic-madrid-logement"
B = "synthetic-sao-paulo-migracao"
C = "synthetic-upala-seguridad"
D = "synthetic-town-a-food"
E = "synthetic-town-b-work"
F = "synthetic-pikine-bolsa"
SYNTHETIC = (A, B, C, D, E, F)
PUBLISHED = (*SEEDED.values(), *SYNTHETIC)

# Practices nobody may see without a token.
DRAFT = "synthetic-draft-brouillon"
IN_REVIEW = "synthetic-in-review-brouillon"
ARCHIVED = "synthetic-archived-brouillon"
DELETED = "synthetic-deleted-brouillon"
INVISIBLE = (DRAFT, IN_REVIEW, ARCHIVED, DELETED)

def _seed_file(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((SEEDS_DIR / name).read_text(encoding="utf-8")) or []


SEED_LABELS: dict[str, dict[str, Any]] = {
    "local_governments": {r["slug"]: r["name"] for r in _seed_file("local_governments.yaml")},
    "rights": {r["slug"]: r["label"] for r in _seed_file("rights.yaml")},
    "target_groups": {r["slug"]: r["label"] for r in _seed_file("target_groups.yaml")},
    "practice_types": {r["slug"]: r["label"] for r in _seed_file("practice_types.yaml")},
    "gcm_objectives": {r["slug"]: r["short_title"] for r in _seed_file("gcm_objectives.yaml")},
    "gcm_principles": {r["slug"]: r["title"] for r in _seed_file("gcm_principles.yaml")},
    "sdg_targets": {r["slug"]: r["title"] for r in _seed_file("sdg_targets.yaml")},
}
SESSION_SEED = _seed_file("sessions.yaml")[0]


TOWN_A = "synthetic-town-a"
TOWN_B = "synthetic-town-b"
ORGANISATION = "synthetic-partner-organisation"

A_TIME = utc(2024, 3, 1, 12, 0)  # A and B share it: ties are broken by slug
C_TIME = utc(2024, 6, 1, 8, 0)
D_TIME = utc(2022, 1, 10, 0, 0)
E_TIME = utc(2021, 5, 5, 0, 0)  # E and F share it


def build_world() -> None:
    """Two synthetic towns, a synthetic organisation, the synthetic practices; committed."""
    create_local_government(
        slug=TOWN_A, name={"fr": "Commune synthétique A (données de test)"}, original_language="fr",
        country="FR", m49_region="150", m49_sub_region="155", networks=["uclg", "uclg-cisdp"],
    )
    create_local_government(
        slug=TOWN_B, name={"es": "Municipio sintético B (datos de prueba)"}, original_language="es",
        country="MX", m49_region="019", m49_sub_region="419", m49_intermediate_region="013", networks=["uclg"],
    )
    create_organisation(slug=ORGANISATION, name={"en": "Synthetic partner organisation (test data)"})
    create_practice(
        at=A_TIME, slug=A, original_language="fr", lead_local_government="madrid",
        partner_local_governments=["pikine"],
        title={"fr": "Logement d'abord pour les familles migrantes", "en": "Housing first for migrant families"},
        summary={"fr": "Des familles arrivées récemment reçoivent un toit sans condition (données synthétiques)."},
        description={"fr": "Description synthétique d'un accueil en appartements.", "en": "Synthetic description."},
        rights=["housing", "food"], target_groups=["women", "children"], practice_types=["humanitarian-reception"],
        gcm_objectives=["gcm-objective-15"], gcm_principles=["human-rights", "child-sensitive"],
        sdg_targets=["11-1"], questions=[question(5)], session=SESSION, partner_organisations=[ORGANISATION],
        start_year=2016, end_year=2020, funding_kinds=["municipal budget"], funding_independent_of_state=True,
        outcomes={"fr": "Résultats synthétiques."}, evidence={"fr": "Preuves synthétiques."},
        documentation_status="documented",
        sources=[{"title": "Synthetic report (test data)", "url": "https://example.org/synthetic-report",
                  "kind": "report", "date": "2020-05-17"}],
    )
    create_practice(
        at=A_TIME, slug=B, original_language="pt", lead_local_government="sao-paulo",
        title={"pt": "Centro de acolhida: migração e cidadania", "fr": "Logement et citoyenneté des migrants"},
        rights=["housing", "non-discrimination"], target_groups=["refugees"],
        practice_types=["participation-and-inclusion"], gcm_objectives=["gcm-objective-16"], sdg_targets=["10-7"],
        start_year=2019,
    )
    create_practice(
        at=C_TIME, slug=C, original_language="es", lead_local_government="upala", partner_local_governments=[TOWN_A],
        title={"es": "Seguridad comunitaria sin discriminación"},
        description={"es": "Patrullas vecinales (datos sintéticos).",
                     "fr": "Un volet logement temporaire complète les patrouilles de voisinage."},
        rights=["security", "non-discrimination"], target_groups=["unaccompanied-minors"],
        practice_types=["protection-of-the-most-vulnerable"], gcm_objectives=["gcm-objective-7", "gcm-objective-15"],
        sdg_targets=["16-2"], questions=[question(2), question(5)], session=SESSION, start_year=2010,
    )
    create_practice(
        at=D_TIME, slug=D, original_language="en", lead_local_government=TOWN_A,
        title={"en": "Community kitchens open to everyone"},
        rights=["food"], target_groups=["most-vulnerable", "women"], practice_types=["civil-society-cooperation"],
        gcm_objectives=["gcm-objective-15", "gcm-objective-16"], sdg_targets=["1-3"], start_year=2016,
    )
    create_practice(
        at=E_TIME, slug=E, original_language="es", lead_local_government=TOWN_B,
        partner_local_governments=["madrid", "sao-paulo"],
        title={"es": "Bolsa de trabajo para personas migrantes"},
        rights=["work"], target_groups=["migrant-workers"], practice_types=["rights-based-governance"],
        gcm_objectives=["gcm-objective-6"], sdg_targets=["8-8"], questions=[question(1)], session=SESSION,
        start_year=2021,
    )
    create_practice(
        at=E_TIME, slug=F, original_language="es", lead_local_government="pikine",
        title={"es": "Bolsa de trabajo para personas migrantes"}, rights=["work"],
    )
    hidden = {
        "rights": ["liberty", "housing"], "target_groups": ["lgbtiq-people"],
        "practice_types": ["communicating-benefits"], "gcm_objectives": ["gcm-objective-23", "gcm-objective-15"],
        "sdg_targets": ["8-7"], "questions": [question(7)], "session": SESSION, "start_year": 1999,
        "partner_local_governments": ["madrid", "upala"], "original_language": "pt",
    }
    create_practice(slug=DRAFT, status="draft", lead_local_government="sao-paulo",
                    title={"pt": "Rascunho oculto: migração", "fr": "Logement brouillon invisible"}, **hidden)
    create_practice(slug=IN_REVIEW, status="in_review", lead_local_government=TOWN_A,
                    title={"pt": "Rascunho em revisão", "fr": "Logement brouillon en relecture"}, **hidden)
    create_practice(slug=ARCHIVED, status="archived", lead_local_government="pikine",
                    title={"pt": "Rascunho arquivado", "fr": "Logement brouillon archivé"}, **hidden)
    deleted = create_practice(slug=DELETED, lead_local_government="madrid",
                              title={"pt": "Rascunho apagado", "fr": "Logement brouillon supprimé"}, **hidden)
    deleted.deleted_at = datetime.now(UTC)  # no delete service yet: mark it as soft deletion would
    db.session.commit()


@pytest.fixture(scope="module", params=BACKENDS)
def world_app(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer | None,
) -> Iterator[Flask]:
    """The seeded database plus the synthetic world, shared by this module's tests (they only read)."""
    yield from shared_seeded_app(request.param, templates, tmp_path_factory.mktemp("practices"), postgres, build_world)


@pytest.fixture
def world(world_app: Flask) -> FlaskClient:
    return world_app.test_client()


@pytest.fixture(scope="module")
def seed_times(world_app: Flask) -> dict[str, datetime]:
    with world_app.app_context():
        rows = db.session.execute(select(Practice.slug, Practice.updated_at).where(Practice.slug.in_(SEEDED.values())))
        return dict(rows.all())


def get(client: FlaskClient, path: str = "/api/v1/practices", **params: Any) -> Any:
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def slugs(client: FlaskClient, **params: Any) -> list[str]:
    body = get(client, page_size=100, **params)
    assert body["total"] == len(body["items"])
    return [item["slug"] for item in body["items"]]


def found(client: FlaskClient, **params: Any) -> set[str]:
    return set(slugs(client, **params))


def problem(client: FlaskClient, path: str, status: int, **params: Any) -> dict[str, Any]:
    response = client.get(path, query_string=params)
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"]
    return body


def seeded(*local_governments: str) -> set[str]:
    return {SEEDED[lg] for lg in local_governments}


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
    assert item["documentation_status"] == "documented"
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
    assert p["documentation_status"] == "pending"
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
