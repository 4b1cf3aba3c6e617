"""Civil-society and other partner organisations: how they are written and read (no HTTP here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from registry.models import Organisation
from registry.services import validation as v
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind, original_text

ORGANISATION = Kind(
    "organisation", Organisation, v.OrganisationInput, "organisation", slug_from=original_text("name"),
)


def list_organisations(db: DbSession, page: int, page_size: int, updated_since: datetime | None = None) -> Page:
    """Every organisation, in a stable order: by slug."""
    statement = only_updated_since(select(Organisation).order_by(Organisation.slug), Organisation, updated_since)
    return paginate(db, statement, page, page_size)


def get_organisation(db: DbSession, slug: str) -> Organisation:
    return by_slug(db, ORGANISATION, slug)
