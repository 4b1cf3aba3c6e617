"""Local governments: how they are written, found, and what they do counted (no HTTP here)."""

from __future__ import annotations

from typing import Any

from slugify import slugify
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from registry.models import LocalGovernment, Network, Practice, Right
from registry.models.practices import practice_partner_local_governments, practice_rights
from registry.services import validation as v
from registry.services.filters import check_countries, in_regions, networks_members
from registry.services.listing import Page, by_slug, only_updated_since, paginate
from registry.services.records import Kind, Ref, RefList, original_text
from registry.services.text import fold


def _fold_names(db: DbSession, local_government: LocalGovernment, data: dict[str, Any]) -> None:
    local_government.search_name = fold(" ".join(local_government.name.values()))


LOCAL_GOVERNMENT = Kind(
    "local_government", LocalGovernment, v.LocalGovernmentInput, "local government",
    {"parent": Ref("parent", LocalGovernment), "networks": RefList("networks", Network)},
    original_text("name"), after_write=_fold_names,
)


class WithCounts:
    """A local government with its practice counts alongside, for its detail representation."""

    def __init__(self, record: LocalGovernment, counts: dict[str, Any]):
        self.record = record
        self.__dict__.update(counts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.record, name)


def _options() -> list[Any]:
    return [selectinload(LocalGovernment.parent), selectinload(LocalGovernment.networks)]


def _narrow(db: DbSession, statement: Select, args: dict[str, Any]) -> Select:
    """Apply the list filters; unknown values raise ``QueryError`` naming the parameter."""
    statement = only_updated_since(statement, LocalGovernment, args.get("updated_since"))
    if countries := args.get("country"):
        check_countries(countries)
        statement = statement.where(LocalGovernment.country.in_(countries))
    if regions := args.get("region"):
        statement = statement.where(in_regions(regions))
    if networks := args.get("network"):
        statement = statement.where(LocalGovernment.id.in_(networks_members(db, networks)))
    if q := args.get("q"):
        # Names are matched folded (see _fold_names); slugs are the ASCII form of a name, so
        # 'sao paulo' also finds 'sao-paulo' through its slug.
        folded = fold(q).strip()
        conditions = [LocalGovernment.search_name.contains(folded, autoescape=True)]
        if slug := slugify(folded):
            conditions.append(LocalGovernment.slug.contains(slug, autoescape=True))
        statement = statement.where(or_(*conditions))
    return statement


def list_local_governments(db: DbSession, filters: dict[str, Any], page: int, page_size: int) -> Page:
    """The local governments matching ``filters`` (country, region, network, q, updated_since), by slug."""
    statement = _narrow(db, select(LocalGovernment).order_by(LocalGovernment.slug), filters)
    return paginate(db, statement.options(*_options()), page, page_size)


def get_local_government(db: DbSession, slug: str) -> LocalGovernment:
    return by_slug(db, LOCAL_GOVERNMENT, slug, *_options())


def _involved(local_government_id: int) -> Select:
    """Ids of the published practices a local government leads or partners in."""
    partners = select(practice_partner_local_governments.c.practice_id).where(
        practice_partner_local_governments.c.local_government_id == local_government_id
    )
    return select(Practice.id).where(
        Practice.status == "published", Practice.deleted_at.is_(None),
        or_(Practice.lead_local_government_id == local_government_id, Practice.id.in_(partners)),
    )


def with_counts(db: DbSession, local_government: LocalGovernment) -> WithCounts:
    """The local government with how many published practices it takes part in, in all and per right."""
    involved = _involved(local_government.id)
    total = db.scalar(select(func.count()).select_from(involved.subquery())) or 0
    rows = db.execute(
        select(Right.slug, func.count(func.distinct(practice_rights.c.practice_id)))
        .join(practice_rights, practice_rights.c.right_id == Right.id)
        .where(practice_rights.c.practice_id.in_(involved))
        .group_by(Right.slug)
    ).all()
    by_right = [{"right": slug, "count": count} for slug, count in sorted(rows, key=lambda r: (-r[1], r[0]))]
    return WithCounts(local_government, {"practice_count": total, "practice_counts_by_right": by_right})
