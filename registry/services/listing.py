"""Paging through any ordered query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from registry.extensions import db


def paginate(statement: Select, page: int, page_size: int) -> tuple[list[Any], int]:
    """One page of ``statement`` (already ordered) and the count of all its rows."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    items = list(db.session.scalars(statement.limit(page_size).offset((page - 1) * page_size)))
    return items, total
