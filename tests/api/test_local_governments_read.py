"""GET /api/v1/local-governments: the detail, filters, name search and practice counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.extensions import db
from tests.api.collection_reads import LOCAL_GOVERNMENTS, get, problem, slugs
from tests.factories import SESSION, create_local_government, create_practice

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
    # Its seeded practice is a draft stub: the public counts leave it out.
    assert madrid["practice_count"] == 0 and madrid["practice_counts_by_right"] == []
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

    # Madrid: p1 (lead), p2 (partner); its seeded practice is a draft stub
    assert counts("madrid") == (2, [{"right": "housing", "count": 2}, {"right": "food", "count": 1}])
    # São Paulo: p6 only
    assert counts("sao-paulo") == (1, [{"right": "work", "count": 1}])
    # Upala: p2 (lead), p6 (partner); ties by slug
    assert counts("upala") == (2, [{"right": "housing", "count": 1}, {"right": "work", "count": 1}])
    assert counts("pikine") == (0, [])
    assert counts("gaborone") == (0, [])
