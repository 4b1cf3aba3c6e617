"""The read-only collections of /api/v1: lists in their order, details, filters, and their errors.

Tests that only read the seeds share one seeded database per engine (``seeded``); tests that add
synthetic records first get a fresh one (``seeded_app``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from registry.extensions import db
from tests.conftest import BACKENDS, PostgresServer, Templates
from tests.factories import (
    SESSION,
    create_local_government,
    create_organisation,
    create_practice,
    create_session,
    shared_seeded_app,
)

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


def seed_file(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((SEEDS_DIR / name).read_text(encoding="utf-8")) or []


SESSION_SEED = seed_file("sessions.yaml")[0]
LOCAL_GOVERNMENTS = {r["slug"]: r for r in seed_file("local_governments.yaml")}

#: Each collection, with its seeded slugs in the order the list must give them.
COLLECTIONS: dict[str, list[str]] = {
    "local-governments": sorted(LOCAL_GOVERNMENTS),
    "networks": ["uclg", "uclg-cisdp"],
    "organisations": [],
    "sessions": [SESSION],
    "questions": [f"{SESSION}-q{n}" for n in range(1, 8)],
    "rights": sorted(r["slug"] for r in seed_file("rights.yaml")),
    "target-groups": sorted(r["slug"] for r in seed_file("target_groups.yaml")),
    "practice-types": sorted(r["slug"] for r in seed_file("practice_types.yaml")),
    # by number, not by slug (which would put gcm-objective-10 before gcm-objective-2)
    "gcm-objectives": [f"gcm-objective-{n}" for n in range(1, 24)],
    "gcm-principles": [r["slug"] for r in sorted(seed_file("gcm_principles.yaml"), key=lambda r: r["number"])],
    # by goal, then target
    "sdg-targets": ["1-3", "3-8", "4-1", "5-2", "8-7", "8-8", "10-7", "10-c", "11-1", "16-2", "16-9", "17-18"],
}
COUNTS = {
    "local-governments": 7, "networks": 2, "organisations": 0, "sessions": 1, "questions": 7, "rights": 16,
    "target-groups": 12, "practice-types": 8, "gcm-objectives": 23, "gcm-principles": 10, "sdg-targets": 12,
}


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_shared(
    request: pytest.FixtureRequest, templates: Templates, tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer | None,
) -> Iterator[Flask]:
    yield from shared_seeded_app(request.param, templates, tmp_path_factory.mktemp("collections"), postgres)


@pytest.fixture
def seeded(seeded_shared: Flask) -> FlaskClient:
    """A client on the seeds as they are; its tests must only read."""
    return seeded_shared.test_client()


def get(client: FlaskClient, path: str, **params: Any) -> Any:
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def slugs(client: FlaskClient, path: str, **params: Any) -> list[str]:
    body = get(client, path, page_size=100, **params)
    assert body["total"] == len(body["items"])
    return [item["slug"] for item in body["items"]]


def problem(client: FlaskClient, path: str, status: int, **params: Any) -> dict[str, Any]:
    response = client.get(path, query_string=params)
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["type"]
    return body


# --- every collection ------------------------------------------------------------------------------------------


def test_every_collection_is_listed_here() -> None:
    assert set(COLLECTIONS) == set(COUNTS)
    assert all(len(COLLECTIONS[name]) == count for name, count in COUNTS.items())


@pytest.mark.parametrize("name", COLLECTIONS)
def test_list_holds_the_seeds_in_order(seeded: FlaskClient, name: str) -> None:
    body = get(seeded, f"/api/v1/{name}", page_size=100)
    assert list(body) == ["items", "total", "page", "page_size", "pages", "links"]
    assert body["total"] == COUNTS[name]
    assert [item["slug"] for item in body["items"]] == COLLECTIONS[name]
    assert body["pages"] == (1 if COUNTS[name] else 0)


@pytest.mark.parametrize("name", COLLECTIONS)
def test_walking_the_default_pages_gives_the_same_list(seeded: FlaskClient, name: str) -> None:
    walked: list[str] = []
    url: str | None = f"/api/v1/{name}"
    pages = 0
    while url:
        response = seeded.get(url)
        assert response.status_code == 200
        assert "Link" in response.headers
        body = response.get_json()
        assert body["page_size"] == 20
        walked += [item["slug"] for item in body["items"]]
        url = body["links"]["next"]
        pages += 1
    assert walked == COLLECTIONS[name]
    assert pages == max(1, -(-COUNTS[name] // 20))


@pytest.mark.parametrize("name", COLLECTIONS)
def test_every_item_has_its_detail(seeded: FlaskClient, name: str) -> None:
    for item in get(seeded, f"/api/v1/{name}", page_size=100)["items"]:
        detail = get(seeded, f"/api/v1/{name}/{item['slug']}")
        assert detail["slug"] == item["slug"]
        assert {k: v for k, v in detail.items() if k in item} == item  # the detail says at least what the list says


@pytest.mark.parametrize("name", COLLECTIONS)
def test_unknown_slug_is_a_404_problem(seeded: FlaskClient, name: str) -> None:
    body = problem(seeded, f"/api/v1/{name}/no-such-thing", 404)
    assert "no-such-thing" in body["detail"]


@pytest.mark.parametrize("name", COLLECTIONS)
def test_unknown_parameter_is_a_400_naming_it(seeded: FlaskClient, name: str) -> None:
    body = problem(seeded, f"/api/v1/{name}", 400, colour="blue")
    assert list(body["errors"]) == ["colour"]


@pytest.mark.parametrize("name", COLLECTIONS)
@pytest.mark.parametrize(("param", "value"), [("page", "0"), ("page_size", "0"), ("page_size", "101")])
def test_bad_paging_is_a_400_naming_it(seeded: FlaskClient, name: str, param: str, value: str) -> None:
    body = problem(seeded, f"/api/v1/{name}", 400, **{param: value})
    assert list(body["errors"]) == [param]


def test_gcm_objectives_in_number_order_across_pages(seeded: FlaskClient) -> None:
    first = get(seeded, "/api/v1/gcm-objectives")
    assert (first["total"], first["pages"], len(first["items"])) == (23, 2, 20)
    assert [o["number"] for o in first["items"]] == list(range(1, 21))
    second = get(seeded, "/api/v1/gcm-objectives", page=2)
    assert [o["number"] for o in second["items"]] == [21, 22, 23]
    assert second["links"]["next"] is None


# --- reference details ----------------------------------------------------------------------------------------


def test_right_detail(seeded: FlaskClient) -> None:
    right = get(seeded, "/api/v1/rights/housing")
    assert right["label"] == {"fr": "Droit au logement", "en": "Right to housing", "es": "Derecho a la vivienda",
                              "pt": "Direito à moradia"}
    assert right["named_in_session"] is True
    housing = next(r for r in seed_file("rights.yaml") if r["slug"] == "housing")
    assert right["instruments"] == housing["instruments"]
    assert right["instruments"][:2] == ["UDHR art. 25", "ICESCR art. 11"]
    assert right["original_language"] == "fr"
    assert right["description"]["en"].startswith("A secure, affordable")


def test_five_rights_are_named_in_the_session(seeded: FlaskClient) -> None:
    named = {r["slug"] for r in get(seeded, "/api/v1/rights", page_size=100)["items"] if r["named_in_session"]}
    assert named == {"freedom-of-expression-and-assembly", "food", "housing", "security", "non-discrimination"}


def test_gcm_objective_detail(seeded: FlaskClient) -> None:
    objective = get(seeded, "/api/v1/gcm-objectives/gcm-objective-15")
    assert objective["number"] == 15
    assert objective["short_title"]["en"] == "Basic services"
    assert objective["title"] == {"en": "Provide access to basic services for migrants"}


def test_gcm_principles_numbered_one_to_ten(seeded: FlaskClient) -> None:
    principles = get(seeded, "/api/v1/gcm-principles")["items"]
    assert [p["number"] for p in principles] == list(range(1, 11))
    assert principles[5]["slug"] == "human-rights"


def test_sdg_target_detail(seeded: FlaskClient) -> None:
    target = get(seeded, "/api/v1/sdg-targets/10-7")
    assert (target["code"], target["goal"]) == ("10.7", 10)
    assert target["title"]["en"] == "Orderly, safe and regular migration through well-managed policies"


def test_target_group_and_practice_type_details(seeded: FlaskClient) -> None:
    assert get(seeded, "/api/v1/target-groups/women")["label"]["fr"] == "Femmes"
    practice_type = get(seeded, "/api/v1/practice-types/humanitarian-reception")
    assert practice_type["label"] and practice_type["original_language"]


def test_network_detail_names_its_parent(seeded: FlaskClient) -> None:
    network = get(seeded, "/api/v1/networks/uclg-cisdp")
    assert network["acronym"] == "UCLG-CISDP"
    assert network["parent"] == {"slug": "uclg", "label": {
        "fr": "Cités et Gouvernements Locaux Unis", "en": "United Cities and Local Governments",
        "es": "Ciudades y Gobiernos Locales Unidos", "pt": "Cidades e Governos Locais Unidos",
    }}
    assert get(seeded, "/api/v1/networks/uclg")["parent"] is None


def test_organisation_list_and_detail(seeded_app: Flask) -> None:
    with seeded_app.app_context():
        create_organisation(slug="synthetic-association", name={"fr": "Association synthétique (données de test)"},
                            original_language="fr", country="SN", website="https://example.org/synthetic")
        db.session.commit()
    client = seeded_app.test_client()
    assert slugs(client, "/api/v1/organisations") == ["synthetic-association"]
    organisation = get(client, "/api/v1/organisations/synthetic-association")
    assert organisation["name"] == {"fr": "Association synthétique (données de test)"}
    assert (organisation["kind"], organisation["country"], organisation["website"]) == (
        "civil_society", "SN", "https://example.org/synthetic"
    )


# --- sessions and questions -----------------------------------------------------------------------------------

SPEAKERS = ["mayor-of-upala", "abdoulaye-thimbo", "mayor-of-gaborone", "berta-cao-menendez", "gustavo-baroja",
            "development-specialist-quetzaltenango"]
MODERATORS = ["arruda", "magali-fricaudet"]


def test_session_list_item(seeded: FlaskClient) -> None:
    (session,) = get(seeded, "/api/v1/sessions")["items"]
    assert session["title"] == SESSION_SEED["title"]
    assert (session["date"], session["start_time"], session["end_time"]) == ("2017-11-16", "15:00", "16:30")


def test_session_detail_has_participants_in_order_and_questions(seeded: FlaskClient) -> None:
    session = get(seeded, f"/api/v1/sessions/{SESSION}")
    assert session["description"] == SESSION_SEED["description"]
    participants = session["participants"]
    assert [(p["role"], p["person"]["slug"]) for p in participants] == [
        *(("speaker", s) for s in SPEAKERS), *(("moderator", m) for m in MODERATORS)
    ]
    people = {p["person"]["slug"]: p["person"] for p in participants}
    assert all(set(person) == {"slug", "name", "role", "local_government", "organisation", "network"}
               for person in people.values())  # and nothing else: no contact data
    assert people["abdoulaye-thimbo"]["name"] == "Abdoulaye Thimbo"
    assert people["mayor-of-upala"]["name"] is None  # the note gives no name
    assert people["abdoulaye-thimbo"]["local_government"] == {
        "slug": "pikine", "label": LOCAL_GOVERNMENTS["pikine"]["name"], "country": "SN"
    }
    assert people["arruda"]["local_government"]["slug"] == "sao-paulo"
    assert people["magali-fricaudet"]["network"]["slug"] == "uclg-cisdp"
    assert people["magali-fricaudet"]["local_government"] is None
    assert people["gustavo-baroja"]["role"]["fr"] == "Préfet de Pichincha"
    questions = session["questions"]
    assert [(q["slug"], q["number"]) for q in questions] == [(f"{SESSION}-q{n}", n) for n in range(1, 8)]
    assert questions[0]["label"]["fr"] == (
        "Comment développer une approche de la gouvernance des migrations fondée sur les droits ?"
    )
    assert [q["label"] for q in questions] == [q["text"] for q in SESSION_SEED["questions"]]


def test_questions_in_order_with_the_notes_french_text(seeded: FlaskClient) -> None:
    questions = get(seeded, "/api/v1/questions")["items"]
    assert [q["number"] for q in questions] == list(range(1, 8))
    assert questions[0]["text"]["fr"] == (
        "Comment développer une approche de la gouvernance des migrations fondée sur les droits ?"
    )
    assert questions[0]["original_language"] == "fr"
    assert all(q["session"] == {"slug": SESSION, "label": SESSION_SEED["title"]} for q in questions)


def test_question_detail(seeded: FlaskClient) -> None:
    q5 = get(seeded, f"/api/v1/questions/{SESSION}-q5")
    assert q5["number"] == 5
    assert q5["text"] == SESSION_SEED["questions"][4]["text"]
    assert q5["session"]["slug"] == SESSION


def test_questions_of_a_session(seeded: FlaskClient) -> None:
    assert len(slugs(seeded, "/api/v1/questions", session=SESSION)) == 7
    assert len(slugs(seeded, "/api/v1/questions", session=[SESSION, SESSION])) == 7


def test_questions_of_an_unknown_session_is_a_400(seeded: FlaskClient) -> None:
    body = problem(seeded, "/api/v1/questions", 400, session="no-such-session")
    assert list(body["errors"]) == ["session"]
    assert "no-such-session" in str(body["errors"]["session"])


def test_questions_filter_by_session_among_several(seeded_app: Flask) -> None:
    with seeded_app.app_context():
        create_session(slug="synthetic-session", questions=[
            {"number": 1, "original_language": "en", "text": {"en": "A synthetic question (test data)?"}},
        ])
        db.session.commit()
    client = seeded_app.test_client()
    assert slugs(client, "/api/v1/questions", session="synthetic-session") == ["synthetic-session-q1"]
    assert len(slugs(client, "/api/v1/questions", session=[SESSION, "synthetic-session"])) == 8
    assert len(slugs(client, "/api/v1/questions")) == 8


# --- local governments ----------------------------------------------------------------------------------------


def test_local_government_detail(seeded: FlaskClient) -> None:
    sao_paulo = get(seeded, "/api/v1/local-governments/sao-paulo")
    assert sao_paulo["name"]["pt"] == "São Paulo"
    assert (sao_paulo["kind"], sao_paulo["country"], sao_paulo["original_language"]) == ("municipality", "BR", "pt")
    assert (sao_paulo["m49_region"], sao_paulo["m49_sub_region"], sao_paulo["m49_intermediate_region"]) == (
        "019", "419", "005"
    )
    assert (sao_paulo["latitude"], sao_paulo["longitude"]) == (-23.55, -46.63)
    assert sao_paulo["parent"] is None and sao_paulo["networks"] == []
    assert sao_paulo["practice_count"] == 0 and sao_paulo["practice_counts_by_right"] == []
    madrid = get(seeded, "/api/v1/local-governments/madrid")
    assert madrid["m49_intermediate_region"] is None
    assert madrid["practice_count"] == 1 and madrid["practice_counts_by_right"] == []
    assert get(seeded, "/api/v1/local-governments/pichincha")["kind"] == "province"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "BR"}, ["sao-paulo"]),
        ({"country": ["ES", "SN"]}, ["madrid", "pikine"]),
        ({"country": "JP"}, []),
        ({"region": "019"}, ["pichincha", "quetzaltenango", "sao-paulo", "upala"]),
        ({"region": "419"}, ["pichincha", "quetzaltenango", "sao-paulo", "upala"]),
        ({"region": "013"}, ["quetzaltenango", "upala"]),
        ({"region": "005"}, ["pichincha", "sao-paulo"]),
        ({"region": "002"}, ["gaborone", "pikine"]),
        ({"region": ["150", "018"]}, ["gaborone", "madrid"]),
        ({"region": "019", "country": "EC"}, ["pichincha"]),
        ({"network": "uclg"}, []),  # the seeds record no membership
        ({"q": "sao paulo"}, ["sao-paulo"]),
        ({"q": "são"}, ["sao-paulo"]),
        ({"q": "São Paulo"}, ["sao-paulo"]),
        ({"q": "SÃO PAULO"}, ["sao-paulo"]),
        ({"q": "paulo"}, ["sao-paulo"]),
        ({"q": "MADRID"}, ["madrid"]),
        ({"q": "quetzal"}, ["quetzaltenango"]),
        ({"q": "pi"}, ["pichincha", "pikine"]),
        ({"q": "pi", "country": "SN"}, ["pikine"]),
        ({"q": "lisboa"}, []),
        # the names are JSON objects keyed by language: a language code is no part of any name
        ({"q": "pt"}, []),
        ({"q": "fr"}, []),
    ],
)
def test_local_government_filters(seeded: FlaskClient, params: dict[str, Any], expected: list[str]) -> None:
    assert slugs(seeded, "/api/v1/local-governments", **params) == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [("network", "no-such-network"), ("region", "999"), ("country", "XX"), ("country", "es")],
)
def test_local_government_filter_naming_nothing_is_a_400(seeded: FlaskClient, name: str, value: str) -> None:
    # as on /practices, where the same parameters answer 400 for these values
    body = problem(seeded, "/api/v1/local-governments", 400, **{name: value})
    assert list(body["errors"]) == [name]


def add_synthetic_local_governments(app: Flask) -> None:
    with app.app_context():
        create_local_government(slug="synthetic-town-one", name={"fr": "Ville de Pérégrine (synthétique)"},
                                original_language="fr", networks=["uclg"])
        create_local_government(slug="synthetic-district-two", name={"en": "Synthetic district two"},
                                parent="madrid", country="ES", m49_sub_region="039",
                                networks=["uclg", "uclg-cisdp"])
        db.session.commit()


def test_local_governments_by_network_with_parent(seeded_app: Flask) -> None:
    add_synthetic_local_governments(seeded_app)
    client = seeded_app.test_client()
    path = "/api/v1/local-governments"
    assert slugs(client, path, network="uclg") == ["synthetic-district-two", "synthetic-town-one"]
    assert slugs(client, path, network="uclg-cisdp") == ["synthetic-district-two"]
    assert slugs(client, path, network=["uclg-cisdp", "uclg"]) == ["synthetic-district-two", "synthetic-town-one"]
    assert slugs(client, path, network="uclg", country="ES") == ["synthetic-district-two"]
    assert slugs(client, path, country="ES") == ["madrid", "synthetic-district-two"]
    assert len(slugs(client, path)) == 9
    district = get(client, f"{path}/synthetic-district-two")
    assert district["parent"] == {"slug": "madrid", "label": LOCAL_GOVERNMENTS["madrid"]["name"]}
    assert [n["slug"] for n in district["networks"]] == ["uclg", "uclg-cisdp"]
    assert district["networks"][0]["label"]["en"] == "United Cities and Local Governments"
    assert district["provenance"].startswith("Synthetic test data")
    listed = next(lg for lg in get(client, path, page_size=100)["items"] if lg["slug"] == "synthetic-district-two")
    assert listed["parent"] == district["parent"] and listed["networks"] == district["networks"]


@pytest.mark.parametrize("q", ["Pérégrine", "pérégrine", "PÉRÉGRINE", "peregrine", "Peregrine", "grine"])
def test_local_government_found_by_its_name_accents_or_not(seeded_app: Flask, q: str) -> None:
    # the slug (synthetic-town-one) says nothing of the name: only the name can match
    add_synthetic_local_governments(seeded_app)
    assert slugs(seeded_app.test_client(), "/api/v1/local-governments", q=q) == ["synthetic-town-one"]


def test_local_government_counts_only_published_practices_it_leads_or_partners_in(seeded_app: Flask) -> None:
    with seeded_app.app_context():
        create_practice(slug="synthetic-p1", lead_local_government="madrid", rights=["housing", "food"])
        create_practice(slug="synthetic-p2", lead_local_government="upala", partner_local_governments=["madrid"],
                        rights=["housing"])
        create_practice(slug="synthetic-p3", status="draft", lead_local_government="madrid",
                        rights=["liberty", "housing"])
        create_practice(slug="synthetic-p4", status="in_review", lead_local_government="sao-paulo",
                        partner_local_governments=["madrid"], rights=["liberty"])
        create_practice(slug="synthetic-p5", status="archived", lead_local_government="pikine",
                        partner_local_governments=["madrid", "sao-paulo"], rights=["liberty"])
        create_practice(slug="synthetic-p6", lead_local_government="sao-paulo", partner_local_governments=["upala"],
                        rights=["work"], session=SESSION)
        deleted = create_practice(slug="synthetic-p7", lead_local_government="madrid", rights=["liberty", "food"])
        deleted.deleted_at = datetime.now(UTC)  # soft-deleted, as the delete service will mark it
        db.session.commit()
    client = seeded_app.test_client()

    def counts(slug: str) -> tuple[int, list[dict[str, Any]]]:
        body = get(client, f"/api/v1/local-governments/{slug}")
        return body["practice_count"], body["practice_counts_by_right"]

    # Madrid: its seeded practice, p1 (lead), p2 (partner)
    assert counts("madrid") == (3, [{"right": "housing", "count": 2}, {"right": "food", "count": 1}])
    # São Paulo: p6 only
    assert counts("sao-paulo") == (1, [{"right": "work", "count": 1}])
    # Upala: its seeded practice, p2 (lead), p6 (partner); ties by slug
    assert counts("upala") == (3, [{"right": "housing", "count": 1}, {"right": "work", "count": 1}])
    assert counts("pikine") == (1, [])
    assert counts("gaborone") == (1, [])
