"""Practices as the reads show them: their columns, and every embedded relation loaded in ONE statement.

Seven selectinloads per list page (twelve per detail) cost a statement each, and the ORM's identity
work for each related record. Here a page's relations are one UNION ALL of (practice, relation,
slug, label, number, code, ...) rows, in the order the model's relationships declare (slug, number
or position, sorted by the database as the relationships are); each related record becomes a small
read-only object carrying what its reference shows. ``PracticeRead`` gives the practice's own
columns from the ORM object and its relations from those rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Date, Integer, String, cast, literal, null, select, union_all
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

#: The columns every part of the union gives, with their types (NULL where a relation has none).
_COLUMNS = {"slug": String, "label": MLText, "number": Integer, "code": String, "text": String, "day": Date,
            "position": Integer}


@dataclass(frozen=True)
class _Relation:
    """One relation of ``Practice``: what to select per practice, and each loaded record's attributes."""

    name: str
    many: bool
    #: The record's attribute -> the union's column it is read from.
    attributes: dict[str, str]
    #: ``(practice_id column, {union column: expression}, FROM clause as a select)``.
    parts: Any

    def statement(self, ids: Sequence[int]) -> Any:
        practice_id, given, base = self.parts()
        columns = [practice_id.label("practice_id"), literal(self.name, String).label("relation")]
        columns += [given.get(column, cast(null(), kind)).label(column) for column, kind in _COLUMNS.items()]
        return base.with_only_columns(*columns).where(practice_id.in_(ids))


def _linked(name: str, model: Any, table: Any, column: str, /, **given: str) -> _Relation:
    """A many-to-many relation through ``table``."""
    def parts() -> tuple[Any, dict[str, Any], Any]:
        columns = {"slug": model.slug, **{union: getattr(model, attribute) for attribute, union in given.items()}}
        return table.c.practice_id, columns, select(model).join(table, table.c[column] == model.id)

    return _Relation(name, True, {"slug": "slug", **given}, parts)


def _lead() -> tuple[Any, dict[str, Any], Any]:
    columns = {"slug": LocalGovernment.slug, "label": LocalGovernment.name, "code": LocalGovernment.country}
    return Practice.id, columns, select(Practice).join(
        LocalGovernment, LocalGovernment.id == Practice.lead_local_government_id)


def _session() -> tuple[Any, dict[str, Any], Any]:
    return Practice.id, {"slug": Session.slug, "label": Session.title}, select(Practice).join(
        Session, Session.id == Practice.session_id)


def _sources() -> tuple[Any, dict[str, Any], Any]:
    columns = {"text": PracticeSource.title, "code": PracticeSource.url, "slug": PracticeSource.kind,
               "day": PracticeSource.date, "position": PracticeSource.position}
    return PracticeSource.practice_id, columns, select(PracticeSource)


_PLACE = {"name": "label", "country": "code"}
#: What a list item embeds (``PracticeSummarySchema``'s relations).
LIST = (
    _Relation("lead_local_government", False, {"slug": "slug", **_PLACE}, _lead),
    _Relation("session", False, {"slug": "slug", "title": "label"}, _session),
    _linked("rights", Right, practice_rights, "right_id", label="label"),
    _linked("target_groups", TargetGroup, practice_target_groups, "target_group_id", label="label"),
    _linked("practice_types", PracticeType, practice_practice_types, "practice_type_id", label="label"),
    _linked("gcm_objectives", GcmObjective, practice_gcm_objectives, "gcm_objective_id",
            number="number", short_title="label"),
    _linked("sdg_targets", SdgTarget, practice_sdg_targets, "sdg_target_id", code="code", title="label"),
)
#: What a detail embeds besides (``PracticeSchema``'s relations).
DETAIL = (
    *LIST,
    _linked("partner_local_governments", LocalGovernment, practice_partner_local_governments,
            "local_government_id", **_PLACE),
    _linked("questions", Question, practice_questions, "question_id", text="label", number="number"),
    _linked("gcm_principles", GcmPrinciple, practice_gcm_principles, "gcm_principle_id", number="number",
            title="label"),
    _linked("partner_organisations", Organisation, practice_organisations, "organisation_id", name="label"),
    _Relation("sources", True, {"title": "text", "url": "code", "kind": "slug", "date": "day"}, _sources),
)


class PracticeRead:
    """A practice as read: its own columns from the ORM object, its relations as loaded here."""

    def __init__(self, practice: Practice, relations: dict[str, Any]) -> None:
        self.orm = practice
        self.__dict__.update(relations)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.orm, name)


def with_relations(db: DbSession, practices: Iterable[Practice], relations: Sequence[_Relation]) -> list[PracticeRead]:
    """``practices`` with ``relations`` loaded, in one statement whatever their number."""
    practices = list(practices)
    if not practices:
        return []
    ids = [practice.id for practice in practices]
    statement = union_all(*(relation.statement(ids) for relation in relations)).order_by(
        "practice_id", "relation", "number", "position", "slug")
    loaded: dict[int, dict[str, Any]] = {
        practice.id: {relation.name: [] if relation.many else None for relation in relations}
        for practice in practices
    }
    by_name = {relation.name: relation for relation in relations}
    for row in db.execute(statement).mappings():
        relation = by_name[row["relation"]]
        record = SimpleNamespace(**{attribute: row[column] for attribute, column in relation.attributes.items()})
        if relation.many:
            loaded[row["practice_id"]][relation.name].append(record)
        else:
            loaded[row["practice_id"]][relation.name] = record
    return [PracticeRead(practice, loaded[practice.id]) for practice in practices]
