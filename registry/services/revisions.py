"""A record's revision history, newest first (no HTTP here)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import Practice, Revision
from registry.services.errors import NotFound
from registry.services.listing import Page, paginate
from registry.services.records import Kind


def of_practice(db: DbSession, practice: Practice, page: int, page_size: int) -> Page:
    """A practice's history, read by its id: practices are only ever soft-deleted, so the row stays."""
    statement = (select(Revision).where(Revision.entity_type == "practice", Revision.entity_id == practice.id)
                 .order_by(Revision.created_at.desc(), Revision.id.desc()))
    return paginate(db, statement, page, page_size)


def of_slug(db: DbSession, kind: Kind, slug: str, page: int, page_size: int) -> Page:
    """The history of the record of ``kind`` with this slug; ``NotFound`` when there is none.

    By slug, which a record keeps for life: the history outlives a delete, and a record made again
    under the same slug continues it (ids, which SQLite may reuse, would mix lives).
    """
    statement = (select(Revision).where(Revision.entity_type == kind.name, Revision.entity_slug == slug)
                 .order_by(Revision.created_at.desc(), Revision.id.desc()))
    found = paginate(db, statement, page, page_size)
    if not found.total:
        raise NotFound(f"No {kind.noun} with slug {slug!r} has any history.")
    return found
