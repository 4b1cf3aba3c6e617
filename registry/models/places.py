"""Local governments, the city networks they belong to, partner organisations and people."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Float, ForeignKey, Index, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import (
    Base,
    EditableMixin,
    MLText,
    SlugColumn,
    dialect_check,
    enum_check,
    language_check,
    ml_check,
    slug_check,
)

ML = dict[str, str]

LOCAL_GOVERNMENT_KINDS = ("municipality", "province", "metropolitan_area", "region")
ORGANISATION_KINDS = ("civil_society", "international", "academic", "national_government", "other")

COUNTRY_CHECK = dialect_check(
    "country_format",
    sqlite="length(country) = 2 AND country NOT GLOB '*[^A-Z]*'",
    postgresql="country ~ '^[A-Z]{2}$'",
)
OPTIONAL_COUNTRY_CHECK = dialect_check(
    "country_format",
    sqlite="country IS NULL OR (length(country) = 2 AND country NOT GLOB '*[^A-Z]*')",
    postgresql="country IS NULL OR country ~ '^[A-Z]{2}$'",
)
def website_check() -> CheckConstraint:
    return CheckConstraint(
    "website IS NULL OR substr(website, 1, 8) = 'https://' OR substr(website, 1, 7) = 'http://'", name="website_http"
)


def _m49_check(col: str) -> tuple[CheckConstraint, ...]:
    return dialect_check(
        f"{col}_format",
        sqlite=f"{col} IS NULL OR (length({col}) = 3 AND {col} NOT GLOB '*[^0-9]*')",
        postgresql=f"{col} IS NULL OR {col} ~ '^[0-9]{{3}}$'",
    )


local_government_networks = Table(
    "local_government_networks",
    Base.metadata,
    Column("local_government_id", ForeignKey("local_governments.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("networks.id", ondelete="RESTRICT"), primary_key=True),
    # The network filter: a network's members, from the index alone.
    Index("ix_local_government_networks_filter", "network_id", "local_government_id"),
)


class Network(EditableMixin, Base):
    """A city network or one of its committees (UCLG, UCLG-CISDP, ...)."""

    __tablename__ = "networks"
    __table_args__ = (
        *slug_check(),
        *language_check(),
        *ml_check("name"),
        website_check(),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    name: Mapped[ML] = mapped_column(MLText)
    acronym: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(500))
    original_language: Mapped[str] = mapped_column(String(3))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="RESTRICT"))

    parent: Mapped[Network | None] = relationship(remote_side=[id])


class LocalGovernment(EditableMixin, Base):
    """A municipality, province, metropolitan area or region, placed on the map."""

    __tablename__ = "local_governments"
    __table_args__ = (
        *slug_check(),
        *language_check(),
        *ml_check("name"),
        *COUNTRY_CHECK,
        *_m49_check("m49_region"),
        *_m49_check("m49_sub_region"),
        *_m49_check("m49_intermediate_region"),
        enum_check("kind", LOCAL_GOVERNMENT_KINDS),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="longitude_range"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="coordinates_paired"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        website_check(),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    name: Mapped[ML] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), index=True)
    m49_region: Mapped[str] = mapped_column(String(3), index=True)
    m49_sub_region: Mapped[str] = mapped_column(String(3), index=True)
    m49_intermediate_region: Mapped[str | None] = mapped_column(String(3), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    website: Mapped[str | None] = mapped_column(String(500))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("local_governments.id", ondelete="RESTRICT"))
    provenance: Mapped[str | None] = mapped_column(String(2000))
    #: Every name folded (lowercase, no accents), kept by the write path for name search.
    search_name: Mapped[str] = mapped_column(String(2000), server_default=text("''"), default="")

    parent: Mapped[LocalGovernment | None] = relationship(remote_side=[id])
    networks: Mapped[list[Network]] = relationship(
        secondary=local_government_networks, order_by=Network.slug
    )


class Organisation(EditableMixin, Base):
    """A civil-society or other partner of local governments."""

    __tablename__ = "organisations"
    __table_args__ = (
        *slug_check(),
        *language_check(),
        *ml_check("name"),
        *OPTIONAL_COUNTRY_CHECK,
        enum_check("kind", ORGANISATION_KINDS),
        website_check(),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    name: Mapped[ML] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(500))


class Person(EditableMixin, Base):
    """Someone in a public role at a session. No contact data is ever stored."""

    __tablename__ = "people"
    __table_args__ = (
        *slug_check(),
        *language_check(),
        *ml_check("role"),
        CheckConstraint("name IS NULL OR name <> ''", name="name_not_empty"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(SlugColumn, unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[ML] = mapped_column(MLText)
    original_language: Mapped[str] = mapped_column(String(3))
    local_government_id: Mapped[int | None] = mapped_column(
        ForeignKey("local_governments.id", ondelete="RESTRICT"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="RESTRICT"), index=True)

    local_government: Mapped[LocalGovernment | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    network: Mapped[Network | None] = relationship()
