"""Declarative base, constraint naming and column helpers shared by every model."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Integer, MetaData, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Alembic's recommended naming convention: every constraint gets a predictable name, so
# migrations can drop or alter it on both engines.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Multilingual text: a JSON object keyed by language code. JSONB on PostgreSQL so that
#: values compare and index; plain JSON (text) on SQLite.
MLText = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

#: A JSON list (instruments, funding kinds) with the same storage choice as MLText.
JSONList = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

SLUG_SQLITE = "{col} <> '' AND {col} NOT GLOB '*[^a-z0-9-]*' AND {col} NOT GLOB '-*' " \
    "AND {col} NOT GLOB '*-' AND {col} NOT GLOB '*--*'"
SLUG_POSTGRES = "{col} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'"
LANG_SQLITE = "length({col}) BETWEEN 2 AND 3 AND {col} NOT GLOB '*[^a-z]*'"
LANG_POSTGRES = "{col} ~ '^[a-z]{{2,3}}$'"


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time in UTC with its zone: SQLite gives times back without one (every time kept is
    UTC), PostgreSQL in the session's time zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def dialect_check(name: str, *, sqlite: str, postgresql: str) -> tuple[CheckConstraint, ...]:
    """One rule written in each engine's dialect (SQLite GLOB/json_* vs PostgreSQL regex/jsonb)."""
    return (
        CheckConstraint(sqlite, name=name).ddl_if(dialect="sqlite"),
        CheckConstraint(postgresql, name=name).ddl_if(dialect="postgresql"),
    )


def slug_check(col: str = "slug") -> tuple[CheckConstraint, ...]:
    return dialect_check(
        f"{col}_format", sqlite=SLUG_SQLITE.format(col=col), postgresql=SLUG_POSTGRES.format(col=col)
    )


def language_check(col: str = "original_language") -> tuple[CheckConstraint, ...]:
    return dialect_check(
        f"{col}_format", sqlite=LANG_SQLITE.format(col=col), postgresql=LANG_POSTGRES.format(col=col)
    )


def ml_check(col: str, *, required: bool = True) -> tuple[CheckConstraint, ...]:
    """Multilingual text is a JSON object that holds the record's original language."""
    # COALESCE: a missing key yields NULL, and a CHECK that is NULL passes; the key is quoted in the
    # SQLite path so that an odd language value is a failed check, not a JSON path error.
    sqlite = (f"json_type({col}) = 'object' AND "
              f"COALESCE(json_type({col}, '$.\"' || original_language || '\"'), '') = 'text'")
    postgresql = (f"jsonb_typeof({col}) = 'object' AND "
                  f"COALESCE(jsonb_typeof({col} -> original_language), '') = 'string'")
    if not required:
        sqlite = f"{col} IS NULL OR ({sqlite})"
        postgresql = f"{col} IS NULL OR ({postgresql})"
    return dialect_check(f"{col}_multilingual", sqlite=sqlite, postgresql=postgresql)


def enum_check(col: str, values: tuple[str, ...]) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{col} IN ({allowed})", name=f"{col}_allowed")


class EditableMixin:
    """Columns every record that staff can edit carries: optimistic-locking version, times."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)

    # Optimistic locking in the database too: every UPDATE says "WHERE version = <the version read>",
    # so of two writers who read the same version only one can win, even between processes.
    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy passes the class
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


SlugColumn = String(120)


def include_for_engine(dialect: str) -> Callable[..., bool]:
    """Alembic ``include_object`` hook: compare only the schema objects declared for this engine (an index
    written per engine with ``ddl_if`` exists once, under one name, on each)."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return reflected or condition is None or condition.dialect in (None, dialect)

    return include
