"""``services.local_governments``: listing with filters, one by slug, and its practice counts (no HTTP)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session as DbSession

from registry.services import writes
from registry.services.errors import NotFound, QueryError
from registry.services.local_governments import get_local_government, list_local_governments, with_counts
from registry.services.practices import practice_to_edit
from tests.conftest import BACKENDS
from tests.services.helpers import (
    ADMIN,
    DELETED,
    DRAFT,
    MISSING,
    TOWN_NORTH,
    TOWN_SOUTH,
    build_world,
    local_government,
    module_app,
    practice,
    rolled_back,
)

SEEDED = ["gaborone", "madrid", "pichincha", "pikine", "quetzaltenango", "sao-paulo", "upala"]


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, templates, tmp_path_factory, postgres):
    yield from module_app(request, templates, tmp_path_factory, postgres, build_world)


@pytest.fixture
def db(world):
    with rolled_back(world) as session:
        yield session


def listed(db: DbSession, page: int = 1, page_size: int = 50, **filters: Any) -> list[str]:
    return [lg.slug for lg in list_local_governments(db, filters, page, page_size).items]


def test_all_local_governments_by_slug(db):
    assert listed(db) == sorted([*SEEDED, TOWN_NORTH, TOWN_SOUTH])
    page = list_local_governments(db, {}, 2, 4)
    assert (page.total, [lg.slug for lg in page.items]) == (9, ["quetzaltenango", "sao-paulo", TOWN_NORTH, TOWN_SOUTH])


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": ["SN"]}, ["pikine", TOWN_SOUTH]),
        ({"country": ["SN", "FR"]}, ["pikine", TOWN_NORTH, TOWN_SOUTH]),
        ({"region": ["002"]}, ["gaborone", "pikine", TOWN_SOUTH]),
        ({"region": ["155", "039"]}, ["madrid", TOWN_NORTH]),
        ({"network": ["uclg"]}, [TOWN_NORTH]),
        ({"network": ["uclg-cisdp"]}, []),
        ({"region": ["002"], "country": ["BW"]}, ["gaborone"]),  # every filter
        ({"country": []}, sorted([*SEEDED, TOWN_NORTH, TOWN_SOUTH])),
    ],
)
def test_filters(db, filters, expected):
    assert listed(db, **filters) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("São Paulo", ["sao-paulo"]), ("SAO PAULO", ["sao-paulo"]), ("sao-paulo", ["sao-paulo"]),
        ("paulo", ["sao-paulo"]), ("ÉVRY", [TOWN_NORTH]), ("evry-nord", [TOWN_NORTH]),
        ("synthetic", [TOWN_NORTH, TOWN_SOUTH]), ("  upala ", ["upala"]),
        ("%", []), ("_", []),  # LIKE's wildcards are text like any other
    ],
)
def test_q_matches_names_whatever_their_case_and_accents(db, q, expected):
    assert listed(db, q=q) == expected


def test_q_matches_a_name_in_any_language(db):
    local_government(db, slug="synthetic-town-bilingual", name={"en": "Synthetic Bridgeton", "fr": "Pont-Synthétique"},
                     original_language="en")
    assert listed(db, q="PONT-SYNTHÉTIQUE") == listed(db, q="bridgeton") == ["synthetic-town-bilingual"]


@pytest.mark.parametrize(
    ("filters", "name"),
    [({"country": ["sn"]}, "country"), ({"region": ["999"]}, "region"), ({"network": [MISSING]}, "network")],
)
def test_an_unknown_filter_value_is_a_query_error_naming_the_parameter(db, filters, name):
    with pytest.raises(QueryError) as refused:
        listed(db, **filters)
    assert list(refused.value.errors) == [name]


def test_get_local_government(db):
    north = get_local_government(db, TOWN_NORTH)
    assert [n.slug for n in north.networks] == ["uclg"]
    with pytest.raises(NotFound) as missing:
        get_local_government(db, MISSING)
    assert str(missing.value) == f"No local government with slug {MISSING!r}."


def test_with_counts_counts_published_practices_it_leads_or_partners_in(db):
    # North leads the shelter (housing, food), partners in the jobs (work, housing); its draft and its
    # deleted practice do not count.
    north = with_counts(db, get_local_government(db, TOWN_NORTH))
    assert north.practice_count == 2
    assert north.practice_counts_by_right == [
        {"right": "housing", "count": 2}, {"right": "food", "count": 1}, {"right": "work", "count": 1}]
    assert (north.slug, north.record.slug, north.country) == (TOWN_NORTH, TOWN_NORTH, "FR")
    south = with_counts(db, get_local_government(db, TOWN_SOUTH))
    assert south.practice_count == 2
    assert south.practice_counts_by_right == [
        {"right": "food", "count": 1}, {"right": "housing", "count": 1}, {"right": "work", "count": 1}]


def test_with_counts_follows_publication_and_deletion(db):
    writes.transition(db, practice_to_edit(db, DRAFT), "in_review", None, ADMIN)
    writes.transition(db, practice_to_edit(db, DRAFT), "published", None, ADMIN)
    writes.restore_practice(db, practice_to_edit(db, DELETED, deleted=True), ADMIN)
    north = with_counts(db, get_local_government(db, TOWN_NORTH))
    assert north.practice_count == 4
    assert north.practice_counts_by_right[0] == {"right": "housing", "count": 4}


def test_with_counts_of_a_local_government_with_no_practice(db):
    idle = local_government(db, slug="synthetic-town-idle")
    practice(db, slug="synthetic-practice-elsewhere", lead_local_government="madrid", rights=["food"])
    practice(db, slug="synthetic-practice-archived", status="archived", lead_local_government="synthetic-town-idle",
             rights=["food"])
    db.flush()
    counted = with_counts(db, idle)
    assert (counted.practice_count, counted.practice_counts_by_right) == (0, [])
