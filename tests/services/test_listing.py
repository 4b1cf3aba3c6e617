"""``services.listing``: paging through an ordered query and finding one record by slug (no HTTP)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from registry.models import Right, TargetGroup
from registry.services.errors import NotFound
from registry.services.listing import Page, by_slug, paginate
from registry.services.rights import RIGHT
from registry.services.target_groups import TARGET_GROUP
from tests.services.helpers import MISSING, write


def slugs(page: Page) -> list[str]:
    return [record.slug for record in page.items]


def test_paginate_gives_one_page_in_order_and_the_count_of_all(db):
    statement = select(Right).order_by(Right.slug)
    every = list(db.scalars(statement))
    assert len(every) == 16
    first = paginate(db, statement, 1, 5)
    assert (first.total, first.page, first.page_size) == (16, 1, 5)
    assert slugs(first) == [r.slug for r in every[:5]]
    assert slugs(paginate(db, statement, 2, 5)) == [r.slug for r in every[5:10]]
    assert slugs(paginate(db, statement, 4, 5)) == [every[15].slug]


def test_a_page_past_the_end_is_empty_and_still_counts_all(db):
    page = paginate(db, select(Right).order_by(Right.slug), 9, 5)
    assert (page.items, page.total) == ([], 16)


def test_paginate_counts_only_what_the_statement_selects(db):
    statement = select(Right).where(Right.named_in_session.is_(True)).order_by(Right.slug.desc())
    page = paginate(db, statement, 1, 2)
    assert page.total == 5
    assert slugs(page) == sorted((r.slug for r in db.scalars(statement)), reverse=True)[:2]


def test_paginate_of_nothing(db):
    page = paginate(db, select(TargetGroup).where(TargetGroup.slug == MISSING).order_by(TargetGroup.slug), 1, 10)
    assert (page.items, page.total) == ([], 0)


def test_by_slug_finds_the_record_with_the_options_given(db):
    write(db, RIGHT, {"slug": "synthetic-child", "label": {"en": "Synthetic child"}, "original_language": "en",
                      "parent": "housing"})
    db.expunge_all()
    child = by_slug(db, RIGHT, "synthetic-child", selectinload(Right.parent))
    assert "parent" not in inspect(child).unloaded
    assert child.parent.slug == "housing"


@pytest.mark.parametrize(("kind", "noun"), [(RIGHT, "rights category"), (TARGET_GROUP, "target group")])
def test_by_slug_of_an_unknown_slug_is_not_found_naming_the_kind_and_slug(db, kind, noun):
    with pytest.raises(NotFound) as missing:
        by_slug(db, kind, MISSING)
    assert str(missing.value) == f"No {noun} with slug {MISSING!r}."
    assert (missing.value.status, missing.value.errors) == (404, {})
