"""Paging through any ordered query, and finding one record by its slug.

Two ways through a list. By page number (``page``): OFFSET, simple, and every page has a number. By
cursor, when the list's order is a ``Keyset`` (a sort key, then the unique slug): the cursor holds the
last row's key and slug, and the next page is the rows after it, read from the order's index with no
OFFSET, so a deep page costs what page 1 does, and a row inserted before the cursor's position does not
shift the page. A cursor is opaque to clients (URL-safe base64 of JSON) and names the sort it was made
for; one from another sort, or anything else, is a ``QueryError`` naming ``cursor``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session as DbSession

from registry.services.errors import NotFound, QueryError, ServiceError
from registry.services.records import Kind

#: Long enough for any real cursor (a sort, a title, a slug), short enough to refuse junk at once.
MAX_CURSOR_LENGTH = 1000
_INT_RANGE = range(-(2**31), 2**31)


class CursorError(QueryError):
    """A ``cursor`` this list cannot resume from; the message says why."""

    def __init__(self, reason: str):
        ServiceError.__init__(self, reason, {"cursor": [reason]})

    @property
    def detail(self) -> str:
        return "The cursor cannot be used."


@dataclass(frozen=True)
class Page:
    """One page of a list, the count of everything the list holds and, for a list in a ``Keyset``
    order, whether more rows follow (``more``) and the cursor that resumes after this page."""

    items: list[Any]
    total: int
    page: int
    page_size: int
    more: bool | None = None
    next_cursor: str | None = None


@dataclass(frozen=True)
class Keyset:
    """An order a cursor can resume: ``key`` (NULLS LAST when ``nullable``), then ``tiebreak``
    ascending, a unique column. ``kind`` is the key's Python type, which a cursor must carry;
    ``identity`` the primary key, by which the page's rows are loaded once their keys are found."""

    name: str
    key: ColumnElement[Any]
    descending: bool
    tiebreak: ColumnElement[Any]
    kind: type
    identity: ColumnElement[Any]
    nullable: bool = False

    def order_by(self) -> list[ColumnElement[Any]]:
        # A descending key says NULLS LAST even where it cannot be NULL: PostgreSQL reads an index in order
        # only for the very order it holds (``DESC NULLS LAST``, as the list's indexes are made).
        key = self.key.desc() if self.descending else self.key.asc()
        return [key.nulls_last() if self.nullable or self.descending else key, self.tiebreak.asc()]

    def keys(self, statement: Select) -> Select:
        """The identity, key and tiebreak of ``statement``'s rows, in this order: what a page is found by."""
        return statement.with_only_columns(self.identity, self.key, self.tiebreak).order_by(*self.order_by())

    def after(self, value: Any, last: str) -> list[ColumnElement[bool]]:
        """The rows that come after (``value``, ``last``) in this order, as conditions to read one after the
        other: each a range the engine can seek to in the order's index (an OR with ``IS NULL`` would make
        it scan from the start), the trailing NULLs last."""
        key, tiebreak = self.key, self.tiebreak
        if value is None:  # among the trailing NULLs
            return [and_(key.is_(None), tiebreak > last)]
        bound, beyond = (key <= value, key < value) if self.descending else (key >= value, key > value)
        later = and_(bound, or_(beyond, tiebreak > last))
        return [later, key.is_(None)] if self.nullable else [later]

    def encode(self, value: Any, last: str) -> str:
        plain = value.isoformat() if isinstance(value, datetime) else value
        raw = json.dumps([self.name, plain, last], ensure_ascii=False, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[Any, str]:
        """The key and slug a cursor of this order holds; ``QueryError`` naming ``cursor`` otherwise."""
        try:
            if len(cursor) > MAX_CURSOR_LENGTH:
                raise ValueError
            name, value, last = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            if name != self.name:
                raise CursorError(f"This cursor was made for another sort: give it with sort={name}.")
            return self._value(value), _text(last)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
            raise CursorError("Not a cursor of this list: use the one a `links.next` gave.") from error

    def _value(self, value: Any) -> Any:
        if value is None and self.nullable:
            return None
        if self.kind is datetime:
            return datetime.fromisoformat(_text(value))
        if self.kind is int and type(value) is int and value in _INT_RANGE:
            return value
        if self.kind is str:
            return _text(value)
        raise ValueError(value)


def _text(value: Any) -> str:
    """A string the database can compare with (PostgreSQL refuses NUL)."""
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError(value)
    return value


#: How ``paginate`` asks a caller's memory for a value: ``remember(key, compute)`` gives what ``compute()``
#: gives, computed now or remembered from before (``read_cache.ReadCache.get`` bound to a session and version).
Remember = Callable[[Hashable, Callable[[], Any]], Any]


def _computed(key: Hashable, compute: Callable[[], Any]) -> Any:  # noqa: ARG001 (the signature of Remember)
    return compute()


def paginate(
    db: DbSession, statement: Select, page: int, page_size: int, *, options: tuple[Any, ...] = (),
    count: Select | int | None = None, keyset: Keyset | None = None, cursor: str | None = None,
    remember: Remember = _computed, columns: tuple[Any, ...] = (),
) -> Page:
    """One page of ``statement`` (its rows loaded with ``options``) and the count of all its rows.

    ``count`` is the statement giving that count (by default, a count over ``statement``; give a leaner one
    over the same WHERE when ``statement`` carries joins or columns the count needs not), or the count itself
    when the caller knows it (``read_cache``). With ``keyset``, ``statement`` is unordered: the page's keys
    are found in that order, after ``cursor`` when given (``page`` then only numbers the page), then its rows
    loaded by id. Without, ``statement`` is already ordered and ``cursor`` is not taken. Which ids make the
    page may be ``remember``-ed (keyed by the page asked; the caller's ``remember`` adds what selects and
    orders the list): the rows themselves are always read afresh, as records, or as plain rows of ``columns``
    when given (a read that shows them needs no ORM identity).
    """
    if count is None:
        count = select(func.count()).select_from(statement.order_by(None).subquery())
    total = count if isinstance(count, int) else db.scalar(count) or 0
    model = statement.column_descriptions[0]["entity"]
    if keyset is None:
        read: list[Any] = []

        def ordered_ids() -> list[Any]:
            read.extend(db.scalars(statement.options(*options).limit(page_size).offset((page - 1) * page_size)))
            return [item.id for item in read]

        ids = remember(("page", page, page_size), ordered_ids)
        items = read if read or not ids else _by_ids(db, model, model.id, ids, options, columns)
        return Page(items, total, page, page_size)

    def page_keys() -> list[tuple[Any, ...]]:
        keys = keyset.keys(statement)
        if cursor is None:
            return [tuple(row) for row in db.execute(keys.limit(page_size + 1).offset((page - 1) * page_size))]
        rows: list[tuple[Any, ...]] = []
        for condition in keyset.after(*keyset.decode(cursor)):
            rows += [tuple(row) for row in db.execute(keys.where(condition).limit(page_size + 1 - len(rows)))]
            if len(rows) > page_size:
                break
        return rows

    rows = remember(("keys", page, page_size, cursor), page_keys)
    more = len(rows) > page_size
    rows = rows[:page_size]
    items = _by_ids(db, model, keyset.identity, [row[0] for row in rows], options, columns)
    next_cursor = keyset.encode(*rows[-1][1:]) if more else None
    return Page(items, total, page, page_size, more, next_cursor)


def _by_ids(db: DbSession, model: Any, identity: Any, ids: list[Any], options: tuple[Any, ...],
            columns: tuple[Any, ...] = ()) -> list[Any]:
    """The records of ``model`` (or rows of its ``columns``) whose ``identity`` is in ``ids``, in that order (one
    statement); one deleted since its id was read is left out."""
    if not ids:
        return []
    statement = select(identity, *columns) if columns else select(identity, model).options(*options)
    loaded = {row[0]: row if columns else row[1] for row in db.execute(statement.where(identity.in_(ids)))}
    return [loaded[id_] for id_ in ids if id_ in loaded]


def only_updated_since(statement: Select, model: type, moment: datetime | None) -> Select:
    """``statement`` narrowed to the records of ``model`` updated at or after ``moment`` (an aware time;
    all of them when it is None): every list's ``updated_since``, in one place."""
    return statement if moment is None else statement.where(model.updated_at >= moment)


def by_slug(db: DbSession, kind: Kind, slug: str, *options: Any) -> Any:
    """The record of ``kind`` with that slug, loaded with ``options``; ``NotFound`` if there is none."""
    record = db.scalar(select(kind.model).where(kind.model.slug == slug).options(*options))
    if record is None:
        raise NotFound(f"No {kind.noun} with slug {slug!r}.")
    return record
