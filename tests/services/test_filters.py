"""``services.filters``: filter values checked against what the registry knows (no HTTP)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import LocalGovernment, Network, Right, TargetGroup
from registry.services.errors import QueryError
from registry.services.filters import check_countries, ids_by_slug, in_regions, networks_members
from registry.services.networks import NETWORK
from tests.services.helpers import MISSING, local_government, write


def slug_of(db: DbSession, model: type, ids: list[int]) -> list[str]:
    found = dict(db.execute(select(model.id, model.slug).where(model.id.in_(ids))).all())
    return [found[i] for i in ids]


def test_ids_by_slug_gives_the_ids_in_the_order_asked(db):
    ids = ids_by_slug(db, Right, "right", ["work", "housing", "food"])
    assert slug_of(db, Right, ids) == ["work", "housing", "food"]


@pytest.mark.parametrize(
    ("model", "name", "slugs", "message"),
    [
        (Right, "right", ["housing", MISSING, "food", "synthetic-other"],
         f"Unknown right: {MISSING!r}, 'synthetic-other'."),
        (TargetGroup, "target_group", ["women", MISSING], f"Unknown target group: {MISSING!r}."),
    ],
)
def test_ids_by_slug_of_unknown_slugs_is_a_query_error_naming_the_parameter_and_each_unknown(
    db, model, name, slugs, message
):
    with pytest.raises(QueryError) as refused:
        ids_by_slug(db, model, name, slugs)
    assert (refused.value.status, refused.value.errors) == (400, {name: [message]})


def test_known_countries_pass():
    assert check_countries(["ES", "FR", "SN"]) is None


@pytest.mark.parametrize("values", [["es"], ["XX"], ["ES", "Spain"], ["E"]])
def test_a_value_not_an_iso_country_code_is_a_query_error_naming_the_parameter(values):
    with pytest.raises(QueryError) as refused:
        check_countries(values)
    wrong = ", ".join(repr(v) for v in values if v != "ES")
    assert refused.value.errors == {"country": [f"Not an ISO 3166-1 alpha-2 code: {wrong}."]}
    with pytest.raises(QueryError) as renamed:
        check_countries(values, name="partner_country")
    assert list(renamed.value.errors) == ["partner_country"]


def test_in_regions_matches_a_region_a_sub_region_or_an_intermediate_region(db):
    local_government(db, slug="synthetic-town-europe")  # 150 / 155
    local_government(db, slug="synthetic-town-andes", country="EC", m49_region="019", m49_sub_region="419",
                     m49_intermediate_region="005")
    towns = select(LocalGovernment.slug).where(LocalGovernment.slug.like("synthetic-town-%"))

    def found(*codes: str) -> list[str]:
        return list(db.scalars(towns.where(in_regions(list(codes))).order_by(LocalGovernment.slug)))

    assert found("150") == ["synthetic-town-europe"]
    assert found("155") == ["synthetic-town-europe"]
    assert found("005") == ["synthetic-town-andes"]
    assert found("002", "419") == ["synthetic-town-andes"]
    assert found("002") == []


@pytest.mark.parametrize("name", ["region", "lead_region"])
def test_an_unknown_region_code_is_a_query_error_naming_the_parameter(name):
    with pytest.raises(QueryError) as refused:
        in_regions(["150", "999", "Europe"], name=name)
    assert refused.value.errors == {name: ["Not a UN M49 region code: '999', 'Europe'."]}


def test_networks_members_are_the_local_governments_of_any_network_named(db):
    write(db, NETWORK, {"slug": "synthetic-network", "name": {"en": "Synthetic network"}, "original_language": "en"})
    one = local_government(db, slug="synthetic-town-one", networks=["uclg"])
    two = local_government(db, slug="synthetic-town-two", networks=["uclg", "synthetic-network"])
    local_government(db, slug="synthetic-town-none")
    db.flush()
    assert set(db.scalars(networks_members(db, ["uclg"]))) == {one.id, two.id}
    assert set(db.scalars(networks_members(db, ["synthetic-network", "uclg-cisdp"]))) == {two.id}


def test_an_unknown_network_is_a_query_error_naming_the_parameter(db):
    with pytest.raises(QueryError) as refused:
        networks_members(db, ["uclg", MISSING])
    assert refused.value.errors == {"network": [f"Unknown network: {MISSING!r}."]}
    with pytest.raises(QueryError) as renamed:
        networks_members(db, [MISSING], name="lead_network")
    assert list(renamed.value.errors) == ["lead_network"]
    assert db.scalar(select(Network.id).where(Network.slug == MISSING)) is None
