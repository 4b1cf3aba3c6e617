"""Rights categories: how they are written and read (no HTTP here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.models import Right
from registry.services import validation as v
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind, Ref, original_text

RIGHT = Kind(
    "right", Right, v.RightInput, "rights category", {"parent": Ref("parent", Right)}, original_text("label"),
)


def _options() -> list[Any]:
    return [selectinload(Right.parent)]


def list_rights(db: DbSession, page: int, page_size: int, updated_since: datetime | None = None) -> Page:
    """Every rights category, in a stable order: by slug."""
    statement = only_updated_since(select(Right).order_by(Right.slug).options(*_options()), Right, updated_since)
    return paginate(db, statement, page, page_size)


def get_right(db: DbSession, slug: str) -> Right:
    return by_slug(db, RIGHT, slug, *_options())
