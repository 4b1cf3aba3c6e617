"""Paging through any ordered query, and finding one record by its slug."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session as DbSession

from registry.services.errors import NotFound
from registry.services.records import Kind


@dataclass(frozen=True)
class Page:
    """One page of a list, and the count of everything the list holds."""

    items: list[Any]
    total: int
    page: int
    page_size: int


def paginate(db: DbSession, statement: Select, page: int, page_size: int) -> Page:
    """One page of ``statement`` (already ordered) and the count of all its rows."""
    total = db.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    items = list(db.scalars(statement.limit(page_size).offset((page - 1) * page_size)))
    return Page(items, total, page, page_size)


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
