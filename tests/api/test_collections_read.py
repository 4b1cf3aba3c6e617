"""The read-only collections of /api/v1: lists in their order, details, filters, and their errors."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.extensions import db
from tests.api.collection_reads import (
    COLLECTIONS,
    COUNTS,
    LOCAL_GOVERNMENTS,
    SESSION_SEED,
    get,
    problem,
    seed_file,
    slugs,
)
from tests.factories import SESSION, create_organisation, create_session

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
