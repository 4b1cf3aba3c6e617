"""Practice types: how they are written and read (no HTTP here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import PracticeType
from registry.services import validation as v
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind, original_text

PRACTICE_TYPE = Kind(
    "practice_type", PracticeType, v.PracticeTypeInput, "practice type", slug_from=original_text("label"),
)


def list_practice_types(db: DbSession, page: int, page_size: int, updated_since: datetime | None = None) -> Page:
    """Every practice type, in a stable order: by slug."""
    statement = only_updated_since(select(PracticeType).order_by(PracticeType.slug), PracticeType, updated_since)
    return paginate(db, statement, page, page_size)


def get_practice_type(db: DbSession, slug: str) -> PracticeType:
    return by_slug(db, PRACTICE_TYPE, slug)
