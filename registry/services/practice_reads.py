"""Practices as the reads show them: their columns, and every embedded relation, in few statements.

Seven selectinloads per list page (twelve per detail) cost a statement each, and the ORM's identity
work for each related record. The records a practice refers to (rights, target groups, local
governments, ...) are few and change seldom, while a page refers to hundreds of them; so they are
read as a *catalog*: every referable record of each relation, in one UNION ALL of (relation, id,
slug, label, number, code, ...) rows, in the order the relationships declare (number, then slug, as
the database sorts them), each a small read-only object carrying what its reference shows. The
catalog is remembered until the data changes (``read_cache``, the same data version as the counts).

A page's relations are then one statement of (practice, relation, target id) rows from the link
tables, each looked up in the catalog and sorted by the catalog's order; a practice's lead local
government and session are its own columns; its sources, its own rows, are read as rows. A link to
a record the catalog lacks (written after the catalog was read) reads the catalog again.
``PracticeRead`` gives the practice's own columns from the ORM object and its relations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Integer, String, bindparam, cast, literal, null, select, union_all
from sqlalchemy.orm import Session as DbSession

from registry.models import (
    GcmObjective,
    GcmPrinciple,
    LocalGovernment,
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
from registry.models.base import MLText
from registry.models.practices import (
    practice_gcm_objectives,
    practice_gcm_principles,
    practice_organisations,
    practice_partner_local_governments,
    practice_practice_types,
    practice_questions,
    practice_rights,
    practice_sdg_targets,
    practice_target_groups,
)
from registry.services.read_cache import READS

#: The columns every part of the catalog's union gives, with their types (NULL where a record has none).
_COLUMNS = {"label": MLText, "number": Integer, "code": String}


@dataclass(frozen=True)
class _Relation:
    """One reference relation of ``Practice``: its target records, and how a practice reaches them."""

    name: str
    many: bool
    model: Any
    #: The record's attribute -> the catalog column it is read from (``slug`` always).
    attributes: dict[str, str]
    #: Many: ``(link table, its column naming the target)``; one: the practice's foreign key attribute.
    link: Any

    def catalog(self) -> Any:
        """Every target record: relation, id, slug and the catalog's columns, in the relation's order."""
        given = {column: getattr(self.model, attribute) for attribute, column in self.attributes.items()}
        columns = [literal(self.name, String).label("relation"), self.model.id.label("id"),
                   self.model.slug.label("slug")]
        columns += [given.get(column, cast(null(), kind)).label(column) for column, kind in _COLUMNS.items()]
        return select(*columns)

    def links(self) -> Any:
        """The (practice, relation, target id) rows of the practices the bound list ``ids`` names."""
        table, column = self.link
        return select(table.c.practice_id, literal(self.name, String).label("relation"),
                      table.c[column].label("target")).where(table.c.practice_id.in_(bindparam("ids", expanding=True)))


def _linked(name: str, model: Any, table: Any, column: str, /, **given: str) -> _Relation:
    """A many-to-many relation through ``table``."""
    return _Relation(name, True, model, {"slug": "slug", **given}, (table, column))


_PLACE = {"name": "label", "country": "code"}
#: What a list item embeds (``PracticeSummarySchema``'s relations).
LIST = (
    _Relation("lead_local_government", False, LocalGovernment, {"slug": "slug", **_PLACE}, "lead_local_government_id"),
    _Relation("session", False, Session, {"slug": "slug", "title": "label"}, "session_id"),
    _linked("rights", Right, practice_rights, "right_id", label="label"),
    _linked("target_groups", TargetGroup, practice_target_groups, "target_group_id", label="label"),
    _linked("practice_types", PracticeType, practice_practice_types, "practice_type_id", label="label"),
    _linked("gcm_objectives", GcmObjective, practice_gcm_objectives, "gcm_objective_id",
            number="number", short_title="label"),
    _linked("sdg_targets", SdgTarget, practice_sdg_targets, "sdg_target_id", code="code", title="label"),
)
#: What a detail embeds besides (``PracticeSchema``'s relations); ``sources`` are the practice's own rows.
DETAIL = (
    *LIST,
    _linked("partner_local_governments", LocalGovernment, practice_partner_local_governments,
            "local_government_id", **_PLACE),
    _linked("questions", Question, practice_questions, "question_id", text="label", number="number"),
    _linked("gcm_principles", GcmPrinciple, practice_gcm_principles, "gcm_principle_id", number="number",
            title="label"),
    _linked("partner_organisations", Organisation, practice_organisations, "organisation_id", name="label"),
)
#: The practice's long texts, which only a detail shows; a list page reads every other column (``LIST_COLUMNS``).
DETAIL_ONLY = frozenset({"description", "outcomes", "evidence", "provenance", "funding_kinds",
                         "funding_independent_of_state"})
LIST_COLUMNS = tuple(column for column in Practice.__table__.columns if column.name not in DETAIL_ONLY)
#: The relations of a detail that are the practice's own rows, read as such.
SOURCES = "sources"

class Referenced(SimpleNamespace):
    """A catalog record. Every read of one data version shares it, so a serializer may keep what it made of
    it in ``dumps`` (by serializer), and must then never change what it keeps there."""

    def __init__(self, **attributes: Any) -> None:
        super().__init__(**attributes)
        self.dumps: dict[Any, Any] = {}


#: A catalog: per relation, target id -> (its rank in the relation's order, the record as references show it).
Catalog = dict[str, dict[int, tuple[int, Referenced]]]


def _read_catalog(db: DbSession, relations: Sequence[_Relation]) -> Catalog:
    statement = union_all(*(relation.catalog() for relation in relations)).order_by("relation", "number", "slug")
    by_name = {relation.name: relation for relation in relations}
    catalog: Catalog = {relation.name: {} for relation in relations}
    for row in db.execute(statement).mappings():
        relation = by_name[row["relation"]]
        records = catalog[relation.name]
        records[row["id"]] = (len(records), Referenced(
            **{attribute: row[column] for attribute, column in relation.attributes.items()}))
    return catalog


def catalog(db: DbSession, relations: Sequence[_Relation], *, fresh: bool = False,
            version: tuple[Any, ...] | None = None) -> Catalog:
    """The records ``relations`` refer to (see the module's docstring): remembered under the data ``version``
    (read here when not given), unless ``fresh``."""
    if fresh:
        return _read_catalog(db, relations)
    return READS.get(db, ("catalog", tuple(relation.name for relation in relations)),
                     lambda: _read_catalog(db, relations), version)


#: The links statement of each tuple of relations, built once (building one costs more than running it).
_LINKS: dict[tuple[str, ...], Any] = {}


def _links_of(many: tuple[_Relation, ...]) -> Any:
    names = tuple(relation.name for relation in many)
    if names not in _LINKS:
        _LINKS[names] = union_all(*(relation.links() for relation in many))
    return _LINKS[names]


def _lacks(known: Catalog, targets: dict[tuple[int, str], list[int]], ones: Sequence[_Relation],
           practices: Sequence[Any]) -> bool:
    """Whether a link or a foreign key names a record ``known`` has not (one written after it was read)."""
    if any(target not in known[name] for (_, name), found in targets.items() for target in found):
        return True
    return any((target := getattr(practice, relation.link)) is not None and target not in known[relation.name]
               for relation in ones for practice in practices)


class PracticeRead:
    """A practice as read: its own columns from the ORM object (or a row of ``LIST_COLUMNS``), its relations as
    loaded here."""

    def __init__(self, practice: Any, relations: dict[str, Any]) -> None:
        self.orm = practice
        self.__dict__.update(relations)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.orm, name)


def _sources(db: DbSession, ids: Sequence[int]) -> dict[int, list[SimpleNamespace]]:
    table = PracticeSource.__table__
    statement = select(table.c.practice_id, table.c.title, table.c.url, table.c.kind, table.c.date).where(
        table.c.practice_id.in_(ids)).order_by(table.c.practice_id, table.c.position)
    sources: dict[int, list[SimpleNamespace]] = {id_: [] for id_ in ids}
    for practice_id, title, url, kind, day in db.execute(statement):
        sources[practice_id].append(SimpleNamespace(title=title, url=url, kind=kind, date=day))
    return sources


def with_relations(
    db: DbSession, practices: Iterable[Any], relations: Sequence[_Relation], *, sources: bool = False,
    version: tuple[Any, ...] | None = None,
) -> list[PracticeRead]:
    """``practices`` with ``relations`` loaded (and their ``sources`` when asked): one statement for the links
    whatever their number, one for the sources, and the catalog when the data changed since it was read."""
    practices = list(practices)
    if not practices:
        return []
    ids = [practice.id for practice in practices]
    many = [relation for relation in relations if relation.many]
    targets: dict[tuple[int, str], list[int]] = {}
    if many:
        for practice_id, name, target in db.execute(_links_of(tuple(many)), {"ids": ids}):
            targets.setdefault((practice_id, name), []).append(target)
    known = catalog(db, relations, version=version)
    if _lacks(known, targets, [relation for relation in relations if not relation.many], practices):
        known = catalog(db, relations, fresh=True)
    owned = _sources(db, ids) if sources else {}
    reads = []
    for practice in practices:
        loaded: dict[str, Any] = {}
        for relation in relations:
            records = known[relation.name]
            if relation.many:
                found = sorted(records[target] for target in targets.get((practice.id, relation.name), ()))
                loaded[relation.name] = [record for _, record in found]
            else:
                target = getattr(practice, relation.link)
                loaded[relation.name] = None if target is None else records[target][1]
        if sources:
            loaded[SOURCES] = owned[practice.id]
        reads.append(PracticeRead(practice, loaded))
    return reads
