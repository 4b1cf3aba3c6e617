"""Practice types: how they are written and read (no HTTP here)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import PracticeType
from registry.services import validation as v
from registry.services.listing import Page, by_slug, paginate
from registry.services.records import Kind, original_text

PRACTICE_TYPE = Kind(
    "practice_type", PracticeType, v.PracticeTypeInput, "practice type", slug_from=original_text("label"),
)


def list_practice_types(db: DbSession, page: int, page_size: int) -> Page:
    """Every practice type, in a stable order: by slug."""
    return paginate(db, select(PracticeType).order_by(PracticeType.slug), page, page_size)


def get_practice_type(db: DbSession, slug: str) -> PracticeType:
    return by_slug(db, PRACTICE_TYPE, slug)
