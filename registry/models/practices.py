"""Practices: what a local government does, classified and sourced."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from registry.models.base import (
    Base,
    EditableMixin,
    JSONList,
    MLText,
    SlugColumn,
    enum_check,
    language_check,
    ml_check,
    slug_check,
)
from registry.models.places import LocalGovernment, Organisation
from registry.models.reference import (
    GcmObjective,
    GcmPrinciple,
    PracticeType,
    Right,
    SdgTarget,
    TargetGroup,
)
from registry.models.sessions import Question, Session

ML = dict[str, str]
STATUSES = ("draft", "in_review", "published", "archived")
#: How far a practice is documented: only announced (a stub, never published), partly, or fully.
DOCUMENTATION_LEVELS = ("stub", "partial", "complete")
SOURCE_KINDS = ("concept_note", "report", "web_page", "article", "video", "dataset", "other")


def _link_table(name: str, target_table: str, target_column: str) -> Table:
    """An association table between practices and one kind of classification.

    The primary key (practice_id, target) serves a practice's relations; the index (target, practice_id)
    serves the filters (``practice_id IN (SELECT practice_id ... WHERE target IN (...))``) from the index alone.
    """
    return Table(
        name,
        Base.metadata,
        Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
        Column(target_column, ForeignKey(f"{target_table}.id", ondelete="RESTRICT"), primary_key=True),
        Index(f"ix_{name}_filter", target_column, "practice_id"),
    )


practice_partner_local_governments = _link_table(
    "practice_partner_local_governments", "local_governments", "local_government_id"
)
practice_practice_types = _link_table("practice_practice_types", "practice_types", "practice_type_id")
practice_rights = _link_table("practice_rights", "rights", "right_id")
practice_questions = _link_table("practice_questions", "questions", "question_id")
practice_target_groups = _link_table("practice_target_groups", "target_groups", "target_group_id")
practice_gcm_objectives = _link_table("practice_gcm_objectives", "gcm_objectives", "gcm_objective_id")
practice_gcm_principles = _link_table("practice_gcm_principles", "gcm_principles", "gcm_principle_id")
practice_sdg_targets = _link_table("practice_sdg_targets", "sdg_targets", "sdg_target_id")
practice_organisations = _link_table("practice_organisations", "organisations", "organisation_id")


class Practice(EditableMixin, Base):
    __tablename__ = "practices"
    __table_args__ = (
        *slug_check(),
        *language_check(),
        *ml_check("title"),
        *ml_check("summary", required=False),
        *ml_check("description", required=False),
        *ml_check("outcomes", required=False),
        *ml_check("evidence", required=False),
        enum_check("status", STATUSES),
        enum_check("documentation", DOCUMENTATION_LEVELS),
        CheckConstraint("start_year IS NULL OR start_year BETWEEN 1900 AND 2100", name="start_year_range"),
        CheckConstraint("end_year IS NULL OR end_year BETWEEN 1900 AND 2100", name="end_year_range"),
        CheckConstraint(
            "start_year IS NULL OR end_year IS NULL OR start_year <= end_year", name="year_order"
        ),
        CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name="published_dated"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    title: Mapped[ML] = mapped_column(MLText)
    summary: Mapped[ML | None] = mapped_column(MLText)
    description: Mapped[ML | None] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))
    lead_local_government_id: Mapped[int] = mapped_column(
        ForeignKey("local_governments.id", ondelete="RESTRICT"), index=True
    )
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="RESTRICT"), index=True)
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    funding_kinds: Mapped[list[str]] = mapped_column(JSONList, default=list)
    funding_independent_of_state: Mapped[bool | None] = mapped_column(Boolean)
    outcomes: Mapped[ML | None] = mapped_column(MLText)
    evidence: Mapped[ML | None] = mapped_column(MLText)
    provenance: Mapped[str] = mapped_column(String(2000))
    documentation: Mapped[str] = mapped_column(String(20), default="partial", index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    lead_local_government: Mapped[LocalGovernment] = relationship()
    session: Mapped[Session | None] = relationship()
    partner_local_governments: Mapped[list[LocalGovernment]] = relationship(
        secondary=practice_partner_local_governments, order_by=LocalGovernment.slug
    )
    practice_types: Mapped[list[PracticeType]] = relationship(
        secondary=practice_practice_types, order_by=PracticeType.slug
    )
    rights: Mapped[list[Right]] = relationship(secondary=practice_rights, order_by=Right.slug)
    questions: Mapped[list[Question]] = relationship(secondary=practice_questions, order_by=Question.slug)
    target_groups: Mapped[list[TargetGroup]] = relationship(
        secondary=practice_target_groups, order_by=TargetGroup.slug
    )
    gcm_objectives: Mapped[list[GcmObjective]] = relationship(
        secondary=practice_gcm_objectives, order_by=GcmObjective.number
    )
    gcm_principles: Mapped[list[GcmPrinciple]] = relationship(
        secondary=practice_gcm_principles, order_by=GcmPrinciple.number
    )
    sdg_targets: Mapped[list[SdgTarget]] = relationship(secondary=practice_sdg_targets, order_by=SdgTarget.slug)
    partner_organisations: Mapped[list[Organisation]] = relationship(
        secondary=practice_organisations, order_by=Organisation.slug
    )
    sources: Mapped[list[PracticeSource]] = relationship(
        back_populates="practice", cascade="all, delete-orphan", order_by="PracticeSource.position"
    )


class PracticeSource(Base):
    """Where what a practice record says comes from."""

    __tablename__ = "practice_sources"
    __table_args__ = (
        enum_check("kind", SOURCE_KINDS),
        CheckConstraint("title <> ''", name="title_not_empty"),
        CheckConstraint(
            "url IS NULL OR substr(url, 1, 8) = 'https://' OR substr(url, 1, 7) = 'http://'", name="url_http"
        ),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(20))
    date: Mapped[date | None] = mapped_column(Date)

    practice: Mapped[Practice] = relationship(back_populates="sources")


def title_in_original_language(dialect: str) -> ColumnElement[str]:
    """A practice's title in its original language: the key of the title sort, and of its indexes.

    On PostgreSQL in byte order (``COLLATE "C"``), as SQLite's BINARY collation: both engines sort alike
    whatever the server's locale. Never NULL (``ml_check`` requires the original language's text).
    """
    table = Practice.__table__
    if dialect == "postgresql":
        return func.jsonb_extract_path_text(table.c.title, table.c.original_language, type_=String).collate("C")
    return func.json_extract(table.c.title, literal_column("'$.'") + table.c.original_language, type_=String)


def _listed_index(name: str, *, sqlite: ColumnElement[Any], postgresql: ColumnElement[Any]) -> None:
    """Indexes on (status, sort key, slug) over the practices not deleted: the visibility filter (``status``
    = ..., ``deleted_at IS NULL``) and one documented sort of the list, read in order with no sort step.

    The key is written per engine where they differ: SQLite cannot declare ``NULLS LAST`` in an index (its
    DESC already puts NULLs last), PostgreSQL needs it for ``ORDER BY ... DESC NULLS LAST``.
    """
    table = Practice.__table__
    for dialect, key in (("sqlite", sqlite), ("postgresql", postgresql)):
        Index(
            f"ix_practices_listed_{name}", table.c.status, key, table.c.slug,
            sqlite_where=table.c.deleted_at.is_(None), postgresql_where=table.c.deleted_at.is_(None),
        ).ddl_if(dialect=dialect)


#: The title sorts' indexes: expressions that neither engine's reflection gives back as declared.
TITLE_INDEXES = frozenset({"ix_practices_listed_title", "ix_practices_listed_title_desc"})


def _declare_list_indexes() -> None:
    table = Practice.__table__
    _listed_index("updated_at_desc", sqlite=table.c.updated_at.desc(),
                  postgresql=table.c.updated_at.desc().nulls_last())
    _listed_index("updated_at", sqlite=table.c.updated_at, postgresql=table.c.updated_at)
    _listed_index("title", sqlite=title_in_original_language("sqlite"),
                  postgresql=title_in_original_language("postgresql"))
    _listed_index("title_desc", sqlite=title_in_original_language("sqlite").desc(),
                  postgresql=title_in_original_language("postgresql").desc().nulls_last())
    _listed_index("start_year", sqlite=table.c.start_year, postgresql=table.c.start_year)
    _listed_index("start_year_desc", sqlite=table.c.start_year.desc(),
                  postgresql=table.c.start_year.desc().nulls_last())
    # The visibility filter alone, for counting the list from the index (SQLite cannot count from a partial
    # index whose condition names a column it does not hold).
    Index("ix_practices_status_deleted_at", table.c.status, table.c.deleted_at)


_declare_list_indexes()
