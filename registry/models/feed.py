"""The changes feed: one event per write of any record, in the order the writes committed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.models.base import Base, SlugColumn, enum_check, slug_check, utcnow

#: What happened to a record, as the feed tells it.
EVENTS = ("created", "updated", "published", "unpublished", "archived", "deleted", "restored")


class Change(Base):
    """One event of the changes feed, written with the revision of the same write.

    ``position`` is the feed's cursor. It is given when the writing transaction commits, under a
    lock that every committing writer takes (``registry.services.feed``), so positions follow the
    order in which writes became visible: a reader that has seen position n has seen every
    position below it. Until then it is NULL, and no other transaction sees the row anyway.
    """

    __tablename__ = "changes"
    __table_args__ = (enum_check("event", EVENTS), enum_check("public_event", EVENTS), *slug_check())

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    #: The kind of record (``records.Kind.name``: "practice", "local_government", ...).
    kind: Mapped[str] = mapped_column(String(40))
    slug: Mapped[str] = mapped_column(SlugColumn)
    #: The event as staff see it.
    event: Mapped[str] = mapped_column(String(20))
    #: The event as everyone else sees it; NULL when the public sees nothing (a draft changed).
    public_event: Mapped[str | None] = mapped_column(String(20))
    #: The record's version after the write (its last version, for a record deleted).
    version: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
