"""``services.practices``: finding practices (filters, search, sorting, facets) and getting one (no HTTP).

The practices are a few synthetic ones (``helpers.build_world``) beside the seeds; most queries keep to the
two synthetic towns so that what the seeds hold does not matter.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session as DbSession

from registry.services.errors import NotFound, QueryError
from registry.services.practices import FILTERS, PracticeQuery, find_practices, get_practice, practice_to_edit
from registry.services.search import SearchQueryError
from tests.conftest import BACKENDS
from tests.services.helpers import (
    DELETED,
    DRAFT,
    JOBS,
    KITCHENS,
    MISSING,
    SESSION_SLUG,
    SHELTER,
    T2,
    TOWN_NORTH,
    TOWN_SOUTH,
    TOWNS,
    build_world,
    module_app,
    rolled_back,
)


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, templates, tmp_path_factory, postgres):
    yield from module_app(request, templates, tmp_path_factory, postgres, build_world)


@pytest.fixture
def db(world):
    with rolled_back(world) as session:
        yield session


def found(db: DbSession, filters: dict[str, list[str]] | None = None, *, page: int = 1, page_size: int = 50,
          **query: Any) -> list[str]:
    result = find_practices(db, PracticeQuery(filters={"local_government": TOWNS} if filters is None else filters,
                                              **query), page, page_size)
    return [p.slug for p in result.page.items]


def test_only_published_practices_that_are_not_deleted_are_found_unless_told(db):
    assert sorted(found(db)) == sorted([SHELTER, JOBS, KITCHENS])
    assert sorted(found(db, statuses=("draft", "published"))) == sorted([SHELTER, JOBS, KITCHENS, DRAFT])
    assert found(db, statuses=("in_review",)) == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"local_government": [TOWN_NORTH]}, [SHELTER, JOBS]),  # lead or partner
        ({"local_government": TOWNS, "right": ["housing"]}, [SHELTER, JOBS]),
        ({"local_government": TOWNS, "right": ["work", "food"]}, [SHELTER, JOBS, KITCHENS]),  # any of the values
        ({"local_government": TOWNS, "right": ["food"], "target_group": ["women"]}, [SHELTER]),  # every filter
        ({"local_government": TOWNS, "right": []}, [SHELTER, JOBS, KITCHENS]),  # an empty filter filters nothing
        ({"country": ["FR"]}, [SHELTER]),  # the lead's country, not a partner's
        ({"region": ["155"]}, [SHELTER]),
        ({"local_government": TOWNS, "region": ["002"]}, [JOBS, KITCHENS]),
        ({"network": ["uclg"]}, [SHELTER]),
        ({"local_government": TOWNS, "session": [SESSION_SLUG]}, [SHELTER]),
    ],
)
def test_filters(db, filters, expected):
    assert sorted(found(db, filters)) == sorted(expected)


def test_updated_since(db):
    assert sorted(found(db, updated_since=T2)) == sorted([JOBS, KITCHENS])


UNKNOWN = {name: [MISSING] for name in FILTERS} | {"country": ["fr"], "region": ["999"]}


@pytest.mark.parametrize("name", [*FILTERS, "colour"])
def test_an_unknown_filter_value_is_a_query_error_naming_the_parameter(db, name):
    with pytest.raises(QueryError) as refused:
        found(db, {"local_government": TOWNS, name: UNKNOWN.get(name, ["red"])})
    assert list(refused.value.errors) == [name]
    if name == "colour":
        assert refused.value.errors == {"colour": ["Not a filter."]}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, [KITCHENS, JOBS, SHELTER]),  # most recently updated first
        ("updated_at", [SHELTER, JOBS, KITCHENS]),
        ("title", [SHELTER, JOBS, KITCHENS]),
        ("-title", [KITCHENS, JOBS, SHELTER]),
        ("start_year", [SHELTER, JOBS, KITCHENS]),  # a practice without a start year comes last...
        ("-start_year", [JOBS, SHELTER, KITCHENS]),  # ...both ways
    ],
)
def test_sorting(db, sort, expected):
    assert found(db, sort=sort) == expected


def test_sorting_by_relevance_needs_a_search(db):
    with pytest.raises(QueryError) as refused:
        found(db, sort="relevance")
    assert list(refused.value.errors) == ["sort"]


def test_pages(db):
    first = find_practices(db, PracticeQuery(filters={"local_government": TOWNS}), 1, 2)
    assert (first.page.total, len(first.page.items)) == (3, 2)
    assert found(db, page=2, page_size=2) == [SHELTER]


@pytest.mark.parametrize(
    ("q", "expected"),
    [("kitchens", [KITCHENS]), ("KITCHENS", [KITCHENS]), ("synthetic jobs", [JOBS]), ("evry", [SHELTER]),
     ('"community kitchens"', [KITCHENS]), ("kitch*", [KITCHENS]), ("synthetic", [SHELTER, JOBS, KITCHENS])],
)
def test_search_finds_published_practices_by_their_text_and_their_leads_name(db, q, expected):
    assert sorted(found(db, {}, q=q)) == sorted(expected)


def test_a_search_without_a_word_is_a_query_error_on_q(db):
    with pytest.raises(SearchQueryError) as refused:
        found(db, q=' "" ')
    assert list(refused.value.errors) == ["q"]
    assert refused.value.detail == "The search cannot be run."


def test_facets_count_the_matching_practices_per_value_most_first(db):
    names = ["right", "country", "region", "local_government", "network", "session", "target_group"]
    result = find_practices(db, PracticeQuery(filters={"local_government": TOWNS}), 1, 1, names)
    assert len(result.page.items) == 1  # the facets count the whole list, not the page
    assert result.facets == {
        "right": [{"value": "food", "count": 2}, {"value": "housing", "count": 2}, {"value": "work", "count": 1}],
        "country": [{"value": "SN", "count": 2}, {"value": "FR", "count": 1}],
        "region": [{"value": "002", "count": 2}, {"value": "150", "count": 1}],
        "local_government": [{"value": TOWN_NORTH, "count": 2}, {"value": TOWN_SOUTH, "count": 2}],
        "network": [{"value": "uclg", "count": 1}],
        "session": [{"value": SESSION_SLUG, "count": 1}],
        "target_group": [{"value": "women", "count": 1}],
    }
    assert find_practices(db, PracticeQuery(), 1, 1).facets is None


def test_get_practice_finds_a_published_one_with_its_detail_loaded(db):
    shelter = get_practice(db, SHELTER)
    # Loaded with the practice (one statement for them all), not lazily from the ORM object afterwards.
    assert {"sources", "partner_organisations", "questions", "rights", "lead_local_government"} <= vars(shelter).keys()
    assert not {"sources", "partner_organisations", "questions", "rights"} & vars(shelter.orm).keys()
    assert [r.slug for r in shelter.rights] == ["food", "housing"]


@pytest.mark.parametrize("slug", [DRAFT, DELETED, MISSING])
def test_get_practice_of_one_not_published_deleted_or_missing_is_not_found(db, slug):
    with pytest.raises(NotFound) as missing:
        get_practice(db, slug)
    assert str(missing.value) == f"No published practice with slug {slug!r}."


def test_get_practice_in_other_statuses_when_told(db):
    assert get_practice(db, DRAFT, ("draft", "in_review")).slug == DRAFT
    with pytest.raises(NotFound):
        get_practice(db, DELETED, ("draft", "published"))


def test_practice_to_edit_finds_any_status_and_deleted_ones_only_when_told(db):
    assert practice_to_edit(db, DRAFT).status == "draft"
    with pytest.raises(NotFound) as missing:
        practice_to_edit(db, DELETED)
    assert str(missing.value) == f"No practice with slug {DELETED!r}."
    deleted = practice_to_edit(db, DELETED, deleted=True)
    assert isinstance(deleted.deleted_at, datetime)
    with pytest.raises(NotFound):
        practice_to_edit(db, MISSING, deleted=True)
