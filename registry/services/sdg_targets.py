"""Sustainable Development Goal targets: how they are written and read (no HTTP here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import SdgTarget
from registry.services import validation as v
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind

SDG_TARGET = Kind(
    "sdg_target", SdgTarget, v.SdgTargetInput, "SDG target",
    slug_from=lambda data: str(data.get("code", "")).replace(".", "-"), unique=(("code",),),
)


def list_sdg_targets(db: DbSession, page: int, page_size: int, updated_since: datetime | None = None) -> Page:
    """Every SDG target, in a stable order: by goal, then code."""
    statement = only_updated_since(select(SdgTarget).order_by(SdgTarget.goal, SdgTarget.code), SdgTarget, updated_since)
    return paginate(db, statement, page, page_size)


def get_sdg_target(db: DbSession, slug: str) -> SdgTarget:
    return by_slug(db, SDG_TARGET, slug)
