"""Finding local governments and counting what they do (no HTTP here)."""

from __future__ import annotations

from typing import Any

from slugify import slugify
from sqlalchemy import Select, func, or_, select

from registry.extensions import db
from registry.models import LocalGovernment, Practice, Right
from registry.models.practices import practice_partner_local_governments, practice_rights
from registry.services.practice_queries import check_countries, in_regions, networks_members
from registry.services.text import fold


def narrow(statement: Select, args: dict[str, Any]) -> Select:
    """Apply the list filters; unknown values raise ``QueryError`` naming the parameter."""
    if countries := args.get("country"):
        check_countries(countries)
        statement = statement.where(LocalGovernment.country.in_(countries))
    if regions := args.get("region"):
        statement = statement.where(in_regions(regions))
    if networks := args.get("network"):
        statement = statement.where(LocalGovernment.id.in_(networks_members(networks)))
    if q := args.get("q"):
        # Names are matched folded (see kinds._fold_names); slugs are the ASCII form of a name, so
        # 'sao paulo' also finds 'sao-paulo' through its slug.
        folded = fold(q).strip()
        conditions = [LocalGovernment.search_name.contains(folded, autoescape=True)]
        if slug := slugify(folded):
            conditions.append(LocalGovernment.slug.contains(slug, autoescape=True))
        statement = statement.where(or_(*conditions))
    return statement


def _involved(local_government_id: int) -> Select:
    """Ids of the published practices a local government leads or partners in."""
    partners = select(practice_partner_local_governments.c.practice_id).where(
        practice_partner_local_governments.c.local_government_id == local_government_id
    )
    return select(Practice.id).where(
        Practice.status == "published", Practice.deleted_at.is_(None),
        or_(Practice.lead_local_government_id == local_government_id, Practice.id.in_(partners)),
    )


def practice_counts(local_government: LocalGovernment) -> dict[str, Any]:
    involved = _involved(local_government.id)
    total = db.session.scalar(select(func.count()).select_from(involved.subquery())) or 0
    rows = db.session.execute(
        select(Right.slug, func.count(func.distinct(practice_rights.c.practice_id)))
        .join(practice_rights, practice_rights.c.right_id == Right.id)
        .where(practice_rights.c.practice_id.in_(involved))
        .group_by(Right.slug)
    ).all()
    by_right = [{"right": slug, "count": count} for slug, count in sorted(rows, key=lambda r: (-r[1], r[0]))]
    return {"practice_count": total, "practice_counts_by_right": by_right}
