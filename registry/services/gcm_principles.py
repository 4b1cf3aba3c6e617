"""The Global Compact for Migration's guiding principles: how they are written and read (no HTTP here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import GcmPrinciple
from registry.services import validation as v
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind, original_text

GCM_PRINCIPLE = Kind(
    "gcm_principle", GcmPrinciple, v.GcmPrincipleInput, "GCM guiding principle", slug_from=original_text("title"),
    unique=(("number",),),
)


def list_gcm_principles(db: DbSession, page: int, page_size: int, updated_since: datetime | None = None) -> Page:
    """Every GCM guiding principle, in a stable order: by number."""
    statement = only_updated_since(select(GcmPrinciple).order_by(GcmPrinciple.number), GcmPrinciple, updated_since)
    return paginate(db, statement, page, page_size)


def get_gcm_principle(db: DbSession, slug: str) -> GcmPrinciple:
    return by_slug(db, GCM_PRINCIPLE, slug)
