"""``services.listing.Keyset``: the cursor it makes and reads, the conditions that resume after it, and paging by it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import column, select
from sqlalchemy.dialects import sqlite

from registry.models import Right
from registry.services.errors import QueryError
from registry.services.listing import Keyset, paginate


def _keyset(kind: type, *, nullable: bool = False, name: str = "key") -> Keyset:
    return Keyset(name, column("year"), False, column("slug"), kind, column("id"), nullable)


@pytest.mark.parametrize(("kind", "value", "nullable"), [
    (datetime, datetime(2024, 3, 1, 12, 0, tzinfo=UTC), False),
    (datetime, datetime(2024, 3, 1, 12, 0, 0, 5), False),  # naive, as SQLite gives it back, microseconds kept
    (int, 2016, True), (int, None, True), (str, "Logement d'abord « synthétique »", True),
])
def test_a_cursor_gives_back_the_key_and_slug_it_was_made_of(kind: type, value: Any, nullable: bool) -> None:
    keyset = _keyset(kind, nullable=nullable)
    cursor = keyset.encode(value, "synthetic-slug")
    assert cursor.replace("-", "").replace("_", "").isalnum()  # URL-safe, unpadded
    assert keyset.decode(cursor) == (value, "synthetic-slug")


def test_a_cursor_is_tied_to_its_sort() -> None:
    cursor = _keyset(int, name="start_year").encode(2016, "synthetic-slug")
    with pytest.raises(QueryError) as raised:
        _keyset(int, name="-start_year").decode(cursor)
    assert "sort=start_year" in raised.value.errors["cursor"][0]


@pytest.mark.parametrize("value", [None, "2016", 2.5, True, 2**40])
def test_a_cursor_with_a_key_of_another_type_is_refused(value: Any) -> None:
    cursor = _keyset(str).encode(value, "synthetic-slug")  # a str keyset encodes anything JSON holds
    with pytest.raises(QueryError) as raised:
        _keyset(int).decode(cursor)
    assert list(raised.value.errors) == ["cursor"]


def _sql(condition: Any) -> str:
    return str(condition.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def test_a_nullable_key_resumes_by_its_range_then_its_nulls() -> None:
    first, nulls = _keyset(int, nullable=True).after(2016, "b")
    assert _sql(first) == "year >= 2016 AND (year > 2016 OR slug > 'b')"
    assert _sql(nulls) == "year IS NULL"
    (among_nulls,) = _keyset(int, nullable=True).after(None, "b")
    assert _sql(among_nulls) == "year IS NULL AND slug > 'b'"
    descending = Keyset("-key", column("year"), True, column("slug"), int, column("id"))
    assert [_sql(c) for c in descending.after(2016, "b")] == ["year <= 2016 AND (year < 2016 OR slug > 'b')"]


def test_paging_by_cursor_walks_the_whole_order_with_the_count_of_all(db) -> None:  # noqa: ANN001
    by_slug = Keyset("slug", Right.slug, False, Right.slug, str, Right.id)
    every = list(db.scalars(select(Right.slug).order_by(Right.slug)))
    page = paginate(db, select(Right), 1, 5, keyset=by_slug)
    seen = [r.slug for r in page.items]
    while page.next_cursor:
        assert page.more and page.total == len(every)
        page = paginate(db, select(Right), page.page + 1, 5, keyset=by_slug, cursor=page.next_cursor)
        seen += [r.slug for r in page.items]
    assert seen == every and page.more is False
    assert [r.slug for r in paginate(db, select(Right), 2, 5, keyset=by_slug).items] == every[5:10]
