"""Target groups: how they are written and read (no HTTP here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import TargetGroup
from registry.services import validation as v
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind, original_text

TARGET_GROUP = Kind(
    "target_group", TargetGroup, v.TargetGroupInput, "target group", slug_from=original_text("label"),
)


def list_target_groups(db: DbSession, page: int, page_size: int, updated_since: datetime | None = None) -> Page:
    """Every target group, in a stable order: by slug."""
    statement = only_updated_since(select(TargetGroup).order_by(TargetGroup.slug), TargetGroup, updated_since)
    return paginate(db, statement, page, page_size)


def get_target_group(db: DbSession, slug: str) -> TargetGroup:
    return by_slug(db, TARGET_GROUP, slug)
