"""Reference lists: rights, target groups, practice types, GCM objectives and principles, SDGs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from registry.models.base import (
    Base,
    EditableMixin,
    JSONList,
    MLText,
    SlugColumn,
    language_check,
    ml_check,
    slug_check,
)

ML = dict[str, str]


def _reference_checks(*ml_columns: str, optional: tuple[str, ...] = ()) -> tuple[Any, ...]:
    checks: list[Any] = [*slug_check(), *language_check(), CheckConstraint("version >= 1", name="version_positive")]
    for col in ml_columns:
        checks.extend(ml_check(col))
    for col in optional:
        checks.extend(ml_check(col, required=False))
    return tuple(checks)


class Right(EditableMixin, Base):
    """A rights category, with the international instruments that set it out."""

    __tablename__ = "rights"
    __table_args__ = _reference_checks("label", optional=("description",))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    label: Mapped[ML] = mapped_column(MLText)
    description: Mapped[ML | None] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("rights.id", ondelete="RESTRICT"))
    instruments: Mapped[list[str]] = mapped_column(JSONList, default=list)
    named_in_session: Mapped[bool] = mapped_column(Boolean, default=False)

    parent: Mapped[Right | None] = relationship(remote_side=[id])


class _LabelledReference(EditableMixin):
    """A reference list entry that is a label and a description (target groups, practice types)."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:  # noqa: N805 - SQLAlchemy passes the class
        return _reference_checks("label", optional=("description",))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    label: Mapped[ML] = mapped_column(MLText)
    description: Mapped[ML | None] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))


class TargetGroup(_LabelledReference, Base):
    """A group of migrants a practice serves (women, unaccompanied minors, ...)."""

    __tablename__ = "target_groups"


class PracticeType(_LabelledReference, Base):
    """An approach a practice takes, as the session concept note describes them."""

    __tablename__ = "practice_types"


class GcmObjective(EditableMixin, Base):
    """One of the 23 objectives of the Global Compact for Safe, Orderly and Regular Migration."""

    __tablename__ = "gcm_objectives"
    __table_args__ = (
        *_reference_checks("short_title", "title"),
        CheckConstraint("number BETWEEN 1 AND 23", name="number_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    short_title: Mapped[ML] = mapped_column(MLText)
    title: Mapped[ML] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))


class GcmPrinciple(EditableMixin, Base):
    """One of the ten guiding principles of the Global Compact for Migration."""

    __tablename__ = "gcm_principles"
    __table_args__ = (
        *_reference_checks("title", optional=("description",)),
        CheckConstraint("number BETWEEN 1 AND 10", name="number_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[ML] = mapped_column(MLText)
    description: Mapped[ML | None] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))


class SdgTarget(EditableMixin, Base):
    """A Sustainable Development Goal target relevant to migration (e.g. 10.7)."""

    __tablename__ = "sdg_targets"
    __table_args__ = (
        *_reference_checks("title"),
        CheckConstraint("goal BETWEEN 1 AND 17", name="goal_range"),
        CheckConstraint("code LIKE goal || '.%'", name="code_in_goal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    goal: Mapped[int] = mapped_column(Integer)
    title: Mapped[ML] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))
