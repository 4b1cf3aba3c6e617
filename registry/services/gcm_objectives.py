"""The Global Compact for Migration's objectives: how they are written and read (no HTTP here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import GcmObjective
from registry.services import validation as v
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind

GCM_OBJECTIVE = Kind(
    "gcm_objective", GcmObjective, v.GcmObjectiveInput, "GCM objective",
    slug_from=lambda data: f"gcm-objective-{data.get('number')}", unique=(("number",),),
)


def list_gcm_objectives(db: DbSession, page: int, page_size: int, updated_since: datetime | None = None) -> Page:
    """Every GCM objective, in a stable order: by number."""
    statement = only_updated_since(select(GcmObjective).order_by(GcmObjective.number), GcmObjective, updated_since)
    return paginate(db, statement, page, page_size)


def get_gcm_objective(db: DbSession, slug: str) -> GcmObjective:
    return by_slug(db, GCM_OBJECTIVE, slug)
