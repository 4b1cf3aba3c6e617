"""Filter values checked against what the registry knows, shared by every list that filters.

Each function names the query parameter at fault in the ``QueryError`` it raises, so that a typo in
a filter is a 400 naming it rather than an empty (or a whole) list.
"""

from __future__ import annotations

import pycountry
from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session as DbSession

from registry.models import LocalGovernment, Network
from registry.models.places import local_government_networks
from registry.services import m49
from registry.services.errors import QueryError


def _quoted(values: list[str]) -> str:
    return ", ".join(repr(v) for v in values)


def ids_by_slug(db: DbSession, model: type, name: str, slugs: list[str]) -> list[int]:
    """The ids of the records ``slugs`` name; ``QueryError`` naming parameter ``name`` for any unknown."""
    found = dict(db.execute(select(model.slug, model.id).where(model.slug.in_(slugs))).all())
    missing = [s for s in slugs if s not in found]
    if missing:
        raise QueryError({name: [f"Unknown {name.replace('_', ' ')}: {_quoted(missing)}."]})
    return [found[s] for s in slugs]


def check_countries(values: list[str], name: str = "country") -> None:
    unknown = [v for v in values if v != v.upper() or pycountry.countries.get(alpha_2=v) is None]
    if unknown:
        raise QueryError({name: [f"Not an ISO 3166-1 alpha-2 code: {_quoted(unknown)}."]})


def in_regions(values: list[str], name: str = "region") -> ColumnElement[bool]:
    """Local governments in any of the M49 regions, sub-regions or intermediate regions given."""
    unknown = [v for v in values if v not in m49.ALL]
    if unknown:
        raise QueryError({name: [f"Not a UN M49 region code: {_quoted(unknown)}."]})
    return or_(LocalGovernment.m49_region.in_(values), LocalGovernment.m49_sub_region.in_(values),
               LocalGovernment.m49_intermediate_region.in_(values))


def networks_members(db: DbSession, values: list[str], name: str = "network") -> Select:
    """Ids of the local governments belonging to any of the networks named."""
    return select(local_government_networks.c.local_government_id).where(
        local_government_networks.c.network_id.in_(ids_by_slug(db, Network, name, values))
    )
