"""Finding practices: filters, full-text search, sorting and facet counts (no HTTP here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pycountry
from sqlalchemy import ColumnElement, Select, String, and_, func, literal_column, or_, select, union_all
from sqlalchemy.orm import selectinload

from registry.extensions import db
from registry.models import (
    GcmObjective,
    LocalGovernment,
    Network,
    Practice,
    PracticeType,
    Question,
    Right,
    SdgTarget,
    Session,
    TargetGroup,
)
from registry.models.places import local_government_networks
from registry.models.practices import (
    practice_gcm_objectives,
    practice_partner_local_governments,
    practice_practice_types,
    practice_questions,
    practice_rights,
    practice_sdg_targets,
    practice_target_groups,
)
from registry.services import m49
from registry.services.listing import paginate
from registry.services.search import search_practice_ids


class QueryError(ValueError):
    """A filter value the registry cannot use, named by parameter."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


#: Filters that name classification records through an association table.
LINKED = {
    "right": (Right, practice_rights, "right_id"),
    "question": (Question, practice_questions, "question_id"),
    "target_group": (TargetGroup, practice_target_groups, "target_group_id"),
    "practice_type": (PracticeType, practice_practice_types, "practice_type_id"),
    "gcm_objective": (GcmObjective, practice_gcm_objectives, "gcm_objective_id"),
    "sdg_target": (SdgTarget, practice_sdg_targets, "sdg_target_id"),
}
FILTERS = ("local_government", "country", "region", "network", *LINKED, "session")
SORTS = ("-updated_at", "updated_at", "title", "-title", "start_year", "-start_year", "relevance")


@dataclass
class PracticeQuery:
    filters: dict[str, list[str]] = field(default_factory=dict)
    q: str | None = None
    updated_since: datetime | None = None
    sort: str | None = None
    statuses: tuple[str, ...] = ("published",)


def _quoted(values: list[str]) -> str:
    return ", ".join(repr(v) for v in values)


def ids_by_slug(model: type, name: str, slugs: list[str]) -> list[int]:
    """The ids of the records ``slugs`` name; ``QueryError`` naming parameter ``name`` for any unknown."""
    found = dict(db.session.execute(select(model.slug, model.id).where(model.slug.in_(slugs))).all())
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


def networks_members(values: list[str], name: str = "network") -> Select:
    """Ids of the local governments belonging to any of the networks named."""
    return select(local_government_networks.c.local_government_id).where(
        local_government_networks.c.network_id.in_(ids_by_slug(Network, name, values))
    )


def _lead_in(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return Practice.lead_local_government_id.in_(select(LocalGovernment.id).where(condition))


def _condition(name: str, values: list[str]) -> ColumnElement[bool]:
    if name in LINKED:
        model, table, column = LINKED[name]
        ids = ids_by_slug(model, name, values)
        return Practice.id.in_(select(table.c.practice_id).where(table.c[column].in_(ids)))
    if name == "local_government":
        ids = ids_by_slug(LocalGovernment, name, values)
        partners = select(practice_partner_local_governments.c.practice_id).where(
            practice_partner_local_governments.c.local_government_id.in_(ids)
        )
        return or_(Practice.lead_local_government_id.in_(ids), Practice.id.in_(partners))
    if name == "country":
        check_countries(values)
        return _lead_in(LocalGovernment.country.in_(values))
    if name == "region":
        return _lead_in(in_regions(values))
    if name == "network":
        return Practice.lead_local_government_id.in_(networks_members(values))
    if name == "session":
        return Practice.session_id.in_(ids_by_slug(Session, name, values))
    raise QueryError({name: ["Not a filter."]})


def matching(query: PracticeQuery) -> tuple[Select, Any]:
    """The practices matching every filter, and the search rank subquery (or None)."""
    conditions: list[ColumnElement[bool]] = [Practice.status.in_(query.statuses), Practice.deleted_at.is_(None)]
    for name, values in query.filters.items():
        if values:
            conditions.append(_condition(name, list(dict.fromkeys(values))))
    if query.updated_since is not None:
        conditions.append(Practice.updated_at >= query.updated_since)
    ranks = None
    if query.q is not None:
        ranks = search_practice_ids(query.q, db.session.get_bind().dialect.name).subquery("ranks")
        conditions.append(Practice.id.in_(select(ranks.c.practice_id)))
    return select(Practice).where(and_(*conditions)), ranks


def title_text() -> ColumnElement[Any]:
    """A practice's title in its original language, for sorting."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Byte order, as SQLite's BINARY collation: both engines sort alike whatever the server locale.
        return func.jsonb_extract_path_text(Practice.title, Practice.original_language, type_=String).collate("C")
    return func.json_extract(Practice.title, literal_column("'$.'") + Practice.original_language)


def ordered(statement: Select, ranks: Any, sort: str | None) -> Select:
    sort = sort or ("relevance" if ranks is not None else "-updated_at")
    if sort == "relevance":
        if ranks is None:
            raise QueryError({"sort": ["Sorting by relevance needs a search: give 'q'."]})
        statement = statement.join(ranks, ranks.c.practice_id == Practice.id)
        return statement.order_by(ranks.c.rank.desc(), Practice.slug)
    descending = sort.startswith("-")
    column = {"updated_at": Practice.updated_at, "title": title_text(), "start_year": Practice.start_year}[
        sort.lstrip("-")
    ]
    key = column.desc() if descending else column.asc()
    return statement.order_by(key.nulls_last(), Practice.slug)


def list_options() -> list[Any]:
    """Eager loads for the list representation: a fixed number of statements per page."""
    return [
        selectinload(Practice.lead_local_government),
        selectinload(Practice.session),
        selectinload(Practice.rights),
        selectinload(Practice.target_groups),
        selectinload(Practice.practice_types),
        selectinload(Practice.gcm_objectives),
        selectinload(Practice.sdg_targets),
    ]


def detail_options() -> list[Any]:
    return [
        *list_options(),
        selectinload(Practice.partner_local_governments),
        selectinload(Practice.questions),
        selectinload(Practice.gcm_principles),
        selectinload(Practice.partner_organisations),
        selectinload(Practice.sources),
    ]


def _facet_statement(name: str, ids: Any) -> Select:
    if name in LINKED:
        model, table, column = LINKED[name]
        return (select(model.slug.label("value"), func.count(func.distinct(table.c.practice_id)).label("count"))
                .join(table, table.c[column] == model.id).where(table.c.practice_id.in_(ids)).group_by(model.slug))
    lead = select(LocalGovernment).join(Practice, Practice.lead_local_government_id == LocalGovernment.id)
    if name == "local_government":
        # Lead or partner, as the filter matches.
        partner = practice_partner_local_governments
        involved = union_all(
            select(Practice.id.label("practice_id"), Practice.lead_local_government_id.label("lg_id")),
            select(partner.c.practice_id, partner.c.local_government_id),
        ).subquery()
        return (select(LocalGovernment.slug.label("value"),
                       func.count(func.distinct(involved.c.practice_id)).label("count"))
                .join(involved, involved.c.lg_id == LocalGovernment.id)
                .where(involved.c.practice_id.in_(ids)).group_by(LocalGovernment.slug))
    if name == "country":
        value = LocalGovernment.country
    elif name == "region":
        value = LocalGovernment.m49_region
    elif name == "session":
        return (select(Session.slug.label("value"), func.count(Practice.id).label("count"))
                .join(Practice, Practice.session_id == Session.id).where(Practice.id.in_(ids))
                .group_by(Session.slug))
    else:  # network
        return (select(Network.slug.label("value"), func.count(func.distinct(Practice.id)).label("count"))
                .join(local_government_networks, local_government_networks.c.network_id == Network.id)
                .join(Practice, Practice.lead_local_government_id == local_government_networks.c.local_government_id)
                .where(Practice.id.in_(ids)).group_by(Network.slug))
    return (lead.with_only_columns(value.label("value"), func.count(func.distinct(Practice.id)).label("count"))
            .where(Practice.id.in_(ids)).group_by(value))


def facet_counts(statement: Select, names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For each facet, the count of matching practices per value: most first, then by value."""
    ids = statement.with_only_columns(Practice.id).order_by(None)
    facets = {}
    for name in names:
        rows = db.session.execute(_facet_statement(name, ids)).all()
        facets[name] = [
            {"value": value, "count": count}
            for value, count in sorted(rows, key=lambda row: (-row[1], row[0]))
        ]
    return facets


@dataclass
class Found:
    items: list[Practice]
    total: int
    facets: dict[str, list[dict[str, Any]]] | None


def find_practices(query: PracticeQuery, page: int, page_size: int, facets: list[str] | None = None) -> Found:
    """One page of the practices matching ``query``, with facet counts when asked.

    Raises ``QueryError`` (or ``SearchQueryError`` for ``q``) naming the parameter at fault.
    """
    statement, ranks = matching(query)
    items, total = paginate(ordered(statement, ranks, query.sort).options(*list_options()), page, page_size)
    return Found(items, total, facet_counts(statement, facets) if facets else None)


def get_practice(slug: str, statuses: tuple[str, ...] = ("published",)) -> Practice | None:
    return db.session.scalar(
        select(Practice).where(Practice.slug == slug, Practice.status.in_(statuses), Practice.deleted_at.is_(None))
        .options(*detail_options())
    )
