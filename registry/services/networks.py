"""City networks and their committees: how they are written and read (no HTTP here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.models import Network
from registry.services import validation as v
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind, Ref, original_text

NETWORK = Kind(
    "network", Network, v.NetworkInput, "network", {"parent": Ref("parent", Network)},
    lambda data: data.get("acronym") or original_text("name")(data),
)


def _options() -> list[Any]:
    return [selectinload(Network.parent)]


def list_networks(db: DbSession, page: int, page_size: int, updated_since: datetime | None = None) -> Page:
    """Every network, in a stable order: by slug."""
    statement = only_updated_since(select(Network).order_by(Network.slug).options(*_options()), Network, updated_since)
    return paginate(db, statement, page, page_size)


def get_network(db: DbSession, slug: str) -> Network:
    return by_slug(db, NETWORK, slug, *_options())
