"""Practices: how they are written (their kinds) and found (filters, search, sorting, facets).

No HTTP here; every function takes the database session it works in.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, func, literal, or_, select, union_all
from sqlalchemy.orm import Session as DbSession

from registry.models import (
    GcmObjective,
    GcmPrinciple,
    LocalGovernment,
    Network,
    Organisation,
    Practice,
    PracticeSource,
    PracticeType,
    Question,
    Right,
    SdgTarget,
    Session,
    TargetGroup,
)
from registry.models.base import utcnow
from registry.models.places import local_government_networks
from registry.models.practices import (
    DOCUMENTATION_LEVELS,
    practice_gcm_objectives,
    practice_partner_local_governments,
    practice_practice_types,
    practice_questions,
    practice_rights,
    practice_sdg_targets,
    practice_target_groups,
    title_in_original_language,
)
from registry.services import validation as v
from registry.services.errors import EditorialError, NotFound, QueryError
from registry.services.filters import check_countries, ids_by_slug, in_regions, networks_members
from registry.services.listing import CursorError, Keyset, Page, only_updated_since, paginate
from registry.services.practice_reads import DETAIL, LIST, LIST_COLUMNS, PracticeRead, with_relations
from registry.services.read_cache import READS, data_version
from registry.services.records import Kind, Ref, RefList, Rows, original_text
from registry.services.search import search_practice_ids

#: Why a stub is never public: the message every refusal to publish one gives.
STUB_NOT_PUBLIC = "A stub (only announced, not yet documented) cannot be published: document it first."


def _date_publication(db: DbSession, practice: Practice, data: dict[str, Any]) -> None:
    if practice.status == "published" and practice.published_at is None:
        practice.published_at = utcnow()


def _stub_never_public(practice: Practice, full: dict[str, Any]) -> None:
    """A published practice is never made a stub (the public list holds no empty shells): an update, or a
    proposal waiting for review, that would do it is refused. Seeds and imports, which carry the status,
    are held to the same rule by ``PracticeSeedInput``; publishing a stub, by ``writes.transition``."""
    if practice.status == "published" and full.get("documentation") == "stub":
        raise EditorialError("A published practice cannot be a stub.", {"documentation": [STUB_NOT_PUBLIC]})


_RELATIONS = {
    "lead_local_government": Ref("lead_local_government", LocalGovernment),
    "partner_local_governments": RefList("partner_local_governments", LocalGovernment),
    "session": Ref("session", Session),
    "practice_types": RefList("practice_types", PracticeType),
    "rights": RefList("rights", Right),
    "questions": RefList("questions", Question),
    "target_groups": RefList("target_groups", TargetGroup),
    "gcm_objectives": RefList("gcm_objectives", GcmObjective),
    "gcm_principles": RefList("gcm_principles", GcmPrinciple),
    "sdg_targets": RefList("sdg_targets", SdgTarget),
    "partner_organisations": RefList("partner_organisations", Organisation),
    "sources": Rows("sources", PracticeSource, ("title", "url", "kind", "date")),
}
#: Practices as the API writes them: the editorial status moves only through the workflow.
PRACTICE = Kind("practice", Practice, v.PracticeInput, "practice", _RELATIONS, original_text("title"),
                after_write=_date_publication, check_update=_stub_never_public)
#: Seeds and imports carry a practice's editorial status; API clients do not.
PRACTICE_WITH_STATUS = Kind("practice", Practice, v.PracticeSeedInput, "practice", _RELATIONS, original_text("title"),
                            after_write=_date_publication, check_update=_stub_never_public)


#: Filters that name classification records through an association table.
LINKED = {
    "right": (Right, practice_rights, "right_id"),
    "question": (Question, practice_questions, "question_id"),
    "target_group": (TargetGroup, practice_target_groups, "target_group_id"),
    "practice_type": (PracticeType, practice_practice_types, "practice_type_id"),
    "gcm_objective": (GcmObjective, practice_gcm_objectives, "gcm_objective_id"),
    "sdg_target": (SdgTarget, practice_sdg_targets, "sdg_target_id"),
}
FILTERS = ("local_government", "country", "region", "network", *LINKED, "session", "documentation")
SORTS = ("-updated_at", "updated_at", "title", "-title", "start_year", "-start_year", "relevance")


@dataclass
class PracticeQuery:
    filters: dict[str, list[str]] = field(default_factory=dict)
    q: str | None = None
    updated_since: datetime | None = None
    sort: str | None = None
    statuses: tuple[str, ...] = ("published",)

    def key(self) -> tuple[Any, ...]:
        """What selects the matching practices (not their order), as a hashable value."""
        filters = tuple(sorted((name, tuple(values)) for name, values in self.filters.items()))
        return filters, self.q, self.updated_since, self.statuses


def _lead_in(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return Practice.lead_local_government_id.in_(select(LocalGovernment.id).where(condition))


def _condition(db: DbSession, name: str, values: list[str]) -> ColumnElement[bool]:
    if name in LINKED:
        model, table, column = LINKED[name]
        ids = ids_by_slug(db, model, name, values)
        return Practice.id.in_(select(table.c.practice_id).where(table.c[column].in_(ids)))
    if name == "local_government":
        ids = ids_by_slug(db, LocalGovernment, name, values)
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
        return Practice.lead_local_government_id.in_(networks_members(db, values))
    if name == "session":
        return Practice.session_id.in_(ids_by_slug(db, Session, name, values))
    if name == "documentation":
        unknown = [value for value in values if value not in DOCUMENTATION_LEVELS]
        if unknown:
            raise QueryError({name: [f"Not a documentation level: {', '.join(map(repr, unknown))};"
                                     f" one of {', '.join(DOCUMENTATION_LEVELS)}."]})
        return Practice.documentation.in_(values)
    raise QueryError({name: ["Not a filter."]})


def _filtered(db: DbSession, query: PracticeQuery) -> Select:
    """The practices passing everything in ``query`` but the search: visibility, filters, ``updated_since``."""
    conditions: list[ColumnElement[bool]] = [Practice.status.in_(query.statuses), Practice.deleted_at.is_(None)]
    for name, values in query.filters.items():
        if values:
            conditions.append(_condition(db, name, list(dict.fromkeys(values))))
    return only_updated_since(select(Practice).where(and_(*conditions)), Practice, query.updated_since)


def _searched(db: DbSession, statement: Select, q: str | None) -> Select:
    """``statement`` narrowed to the practices matching ``q``: by the match alone, unranked (bm25 and ts_rank
    cost as much as the match, so they run only in the relevance order's join, for the page)."""
    if q is None:
        return statement
    return statement.where(Practice.id.in_(search_practice_ids(q, db.get_bind().dialect.name, ranked=False)))


def matching(db: DbSession, query: PracticeQuery) -> Select:
    """The practices matching every filter and the search, unordered and unranked: what a list counts, facets
    and pages through."""
    return _searched(db, _filtered(db, query), query.q)


def title_text(db: DbSession) -> ColumnElement[Any]:
    """A practice's title in its original language, for sorting: the expression its indexes hold."""
    return title_in_original_language(db.get_bind().dialect.name)


def keyset(db: DbSession, sort: str) -> Keyset:
    """The order of a sort other than relevance, which a cursor can resume: its key NULLS LAST, then the slug."""
    name = sort.lstrip("-")
    key, kind, nullable = {
        "updated_at": (Practice.updated_at, datetime, False),
        "title": (title_text(db), str, True),
        "start_year": (Practice.start_year, int, True),
    }[name]
    return Keyset(sort, key, sort.startswith("-"), Practice.slug, kind, Practice.id, nullable)


def _by_relevance(db: DbSession, filtered: Select, q: str) -> Select:
    """``filtered`` in relevance order: the search joined once, with its rank (no IN besides)."""
    ranks = search_practice_ids(q, db.get_bind().dialect.name).subquery("ranks")
    return filtered.join(ranks, ranks.c.practice_id == Practice.id).order_by(ranks.c.rank.desc(), Practice.slug)


def _facet_statement(name: str, matched: Any) -> Select:
    """One facet's (facet, value, count) rows over ``matched``, the matching practices' ids (a CTE).

    ``count(*)`` where a practice gives one row per value (a primary key or a single lead says so),
    ``count(DISTINCT ...)`` where it may give more.
    """
    ids = matched.c.practice_id
    facet = literal(name, String).label("facet")
    if name in LINKED:
        model, table, column = LINKED[name]
        return (select(facet, model.slug.label("value"), func.count().label("count"))
                .select_from(matched).join(table, table.c.practice_id == ids)
                .join(model, table.c[column] == model.id).group_by(model.slug))
    if name == "local_government":
        # Lead or partner, as the filter matches.
        partner = practice_partner_local_governments
        involved = union_all(
            select(ids.label("practice_id"), Practice.lead_local_government_id.label("lg_id"))
            .select_from(matched).join(Practice, Practice.id == ids),
            select(partner.c.practice_id, partner.c.local_government_id)
            .select_from(matched).join(partner, partner.c.practice_id == ids),
        ).subquery()
        return (select(facet, LocalGovernment.slug.label("value"),
                       func.count(func.distinct(involved.c.practice_id)).label("count"))
                .join(involved, involved.c.lg_id == LocalGovernment.id).group_by(LocalGovernment.slug))
    practices = select(facet).select_from(matched).join(Practice, Practice.id == ids)
    if name == "documentation":
        return practices.add_columns(Practice.documentation.label("value"), func.count().label("count")).group_by(
            Practice.documentation)
    if name == "session":
        return (practices.add_columns(Session.slug.label("value"), func.count().label("count"))
                .join(Session, Practice.session_id == Session.id).group_by(Session.slug))
    if name == "network":
        members = local_government_networks
        return (practices.add_columns(Network.slug.label("value"), func.count().label("count"))
                .join(members, members.c.local_government_id == Practice.lead_local_government_id)
                .join(Network, members.c.network_id == Network.id).group_by(Network.slug))
    value = LocalGovernment.country if name == "country" else LocalGovernment.m49_region
    return (practices.add_columns(value.label("value"), func.count().label("count"))
            .join(LocalGovernment, Practice.lead_local_government_id == LocalGovernment.id).group_by(value))


def facet_counts(db: DbSession, statement: Select, names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """For each facet, the count of matching practices per value: most first, then by value.

    One statement: the matching ids are selected once (a CTE, which both engines materialise when
    more than one facet reads it) and every facet is a grouped select over them, UNION ALL.
    """
    matched = statement.with_only_columns(Practice.id.label("practice_id")).order_by(None).cte("matched")
    rows = db.execute(union_all(*(_facet_statement(name, matched) for name in names))).all()
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
    for name, value, count in rows:
        facets[name].append((value, count))
    return {
        name: [{"value": value, "count": count} for value, count in sorted(pairs, key=lambda pair: (-pair[1], pair[0]))]
        for name, pairs in facets.items()
    }


@dataclass
class Found:
    #: Its items are ``PracticeRead``s: each practice with what a list item embeds.
    page: Page
    facets: dict[str, list[dict[str, Any]]] | None


def find_practices(
    db: DbSession, query: PracticeQuery, page: int, page_size: int, facets: list[str] | None = None,
    cursor: str | None = None, version: tuple[Any, ...] | None = None,
) -> Found:
    """One page of the practices matching ``query`` (after ``cursor`` when given), with facet counts when asked.

    The total counts practice ids under the same WHERE, without order, eager loads or rank; it, the facet
    counts and which ids make the page are remembered until the data changes (``read_cache.READS``). Raises
    ``QueryError`` (a ``SearchQueryError`` for ``q``) naming the parameter at fault; a cursor with the
    relevance order, which has none (a rank moves whenever the index changes), is one naming ``cursor``.
    ``version``: the data version the caller has just read (``read_cache.data_version``), not read again.
    """
    filtered = _filtered(db, query)
    statement = _searched(db, filtered, query.q)
    matching, version = query.key(), version or data_version(db)
    count = READS.get(db, ("count", matching), lambda: db.scalar(
        select(func.count()).select_from(Practice).where(statement.whereclause)) or 0, version)
    sort = query.sort or ("relevance" if query.q is not None else "-updated_at")

    def remember(key: Hashable, compute: Callable[[], Any]) -> Any:
        return READS.get(db, ("page", matching, sort, key), compute, version)

    if sort != "relevance":
        found = paginate(db, statement, page, page_size, count=count, keyset=keyset(db, sort), cursor=cursor,
                         remember=remember, columns=LIST_COLUMNS)
    elif query.q is None:
        raise QueryError({"sort": ["Sorting by relevance needs a search: give 'q'."]})
    elif cursor is not None:
        raise CursorError("The relevance order has no cursor: page through it with 'page'.")
    else:
        found = paginate(db, _by_relevance(db, filtered, query.q), page, page_size, count=count, remember=remember,
                         columns=LIST_COLUMNS)
    found = replace(found, items=with_relations(db, found.items, LIST, version=version))
    if not facets:
        return Found(found, None)
    return Found(found, READS.get(db, ("facets", matching, tuple(facets)),
                                  lambda: facet_counts(db, statement, facets), version))


def get_practice(db: DbSession, slug: str, statuses: tuple[str, ...] = ("published",),
                 version: tuple[Any, ...] | None = None) -> PracticeRead:
    """A practice in one of ``statuses``, with every relation its detail shows; ``NotFound`` otherwise.
    ``version``: the data version the caller has just read, if any."""
    practice = db.scalar(
        select(Practice).where(Practice.slug == slug, Practice.status.in_(statuses), Practice.deleted_at.is_(None))
    )
    if practice is None:
        raise NotFound(f"No published practice with slug {slug!r}.")
    return with_relations(db, [practice], DETAIL, sources=True, version=version)[0]


def practice_to_edit(db: DbSession, slug: str, *, deleted: bool = False) -> Practice:
    """The practice staff act on, in any status (a soft-deleted one only with ``deleted``)."""
    statement = select(Practice).where(Practice.slug == slug)
    if not deleted:
        statement = statement.where(Practice.deleted_at.is_(None))
    practice = db.scalar(statement)
    if practice is None:
        raise NotFound(f"No practice with slug {slug!r}.")
    return practice
