"""The changes feed: what changed, in the order it committed, for mirrors (no HTTP here).

Every write leaves a revision (``records.record_revision``), and with it a ``Change``: the event as
staff see it and, when the public sees anything, as the public sees it. Only practices are ever
hidden from the public (a draft, an archived or a soft-deleted one); every other kind is public
from its creation to its deletion.

The cursor. A reader asks for the events after position n and must never miss one that commits
later with a lower position. An autoincrement id cannot promise that on PostgreSQL: ids are taken
when rows are inserted, so a transaction holding id 10 may commit after one holding id 11, and a
reader who saw 11 moves past 10 for ever. So a change's position is not its id. It is given as the
writing transaction commits (``before_commit``), after the transaction takes one
transaction-scoped advisory lock that every committing writer of changes takes:

- positions are handed out one transaction at a time, each continuing from the highest committed
  one (``max(position)`` read under the lock; PostgreSQL makes a transaction visible before it
  releases its locks, so the next holder reads it);
- the lock is held only from that moment to the commit, during which the transaction writes nothing
  but its own changes' positions: it never waits for another's row lock while holding it, so no
  deadlock can form around it.

A reader whose snapshot holds position n therefore holds every position below n. SQLite lets one
transaction write at a time, from its first write to its commit, which gives the same order without
the lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session as DbSession

from registry.models import Change
from registry.services.errors import QueryError

#: The advisory lock key of the feed's positions (any constant no other lock of the registry uses).
POSITION_LOCK = 7_318_455_123
#: ``session.info`` key: this session wrote changes that have no position yet.
_UNPLACED = "registry.feed.unplaced"

_SIMPLE = {"create": "created", "update": "updated", "delete": "deleted", "restore": "restored"}


@dataclass(frozen=True)
class Visibility:
    """Whether the public could read a practice: before a write, and after it."""

    before: bool
    after: bool


def _practice_visibility(practice: Any, action: str, changes: dict[str, Any]) -> Visibility:
    """From the practice as written and the changes the write made, which give the values before."""
    def was(name: str) -> Any:
        return changes[name]["old"] if name in changes else getattr(practice, name)

    before = action != "create" and was("status") == "published" and was("deleted_at") is None
    return Visibility(before, practice.status == "published" and practice.deleted_at is None)


def _practice_event(action: str, changes: dict[str, Any]) -> str:
    if action in {"create", "delete", "restore"}:
        return _SIMPLE[action]
    status = changes.get("status")
    if status is None:
        return "updated"
    if status["new"] == "published":
        return "published"
    if status["new"] == "archived":
        return "archived"
    return "unpublished" if status["old"] == "published" else "updated"


def _public_event(action: str, changes: dict[str, Any], seen: Visibility) -> str | None:
    """What a reader without a token learns: a practice appearing, changing, or leaving their view."""
    if seen.before and seen.after:
        return "updated"
    if seen.after:
        return "restored" if action == "restore" else "published"
    if seen.before:
        if action == "delete":
            return "deleted"
        return "archived" if (changes.get("status") or {}).get("new") == "archived" else "unpublished"
    return None


def events_of(kind: str, record: Any, action: str, changes: dict[str, Any]) -> tuple[str, str | None]:
    """The event of one write (a revision's ``action`` and ``changes``) for staff and for the public."""
    if kind != "practice":
        event = _SIMPLE[action]
        return event, event
    return _practice_event(action, changes), _public_event(action, changes, _practice_visibility(record, action,
                                                                                                 changes))


def record_change(
    db: DbSession, kind: str, record: Any, action: str, changes: dict[str, Any], at: datetime
) -> Change:
    """The feed's event for one write, positioned when the caller commits."""
    staff_event, public_event = events_of(kind, record, action, changes)
    change = Change(kind=kind, slug=record.slug, event=staff_event, public_event=public_event,
                    version=record.version, at=at)
    db.add(change)
    db.info[_UNPLACED] = True
    return change


def record_history(db: DbSession, revisions: Iterable[Mapping[str, Any]]) -> None:
    """The feed's events for revisions written as another registry had them (an import restoring its file's
    history), in their order: each derived from the revisions alone, as the writes recorded it there.

    A record's version counts its revisions (a hard delete keeps the last one); a practice's visibility
    follows the status changes, deletes and restores its revisions hold.
    """
    versions: dict[tuple[str, str], int] = {}
    practices: dict[str, tuple[Any, bool]] = {}  # slug -> (status, deleted)
    for revision in revisions:
        kind, slug, action = revision["entity_type"], revision["entity_slug"], revision["action"]
        changes = revision.get("changes") or {}
        key = (kind, slug)
        if action == "create":
            versions[key] = 1
        elif action != "delete" or kind == "practice":
            versions[key] = versions.get(key, 0) + 1
        if kind == "practice":
            status, deleted = practices.get(slug, (None, False))
            before = action != "create" and status == "published" and not deleted
            status = (changes.get("status") or {}).get("new", status)
            deleted = action == "delete" or (deleted and action != "restore")
            practices[slug] = (status, deleted)
            seen = Visibility(before, status == "published" and not deleted)
            staff_event, public_event = _practice_event(action, changes), _public_event(action, changes, seen)
        else:
            staff_event = public_event = _SIMPLE[action]
        db.add(Change(kind=kind, slug=slug, event=staff_event, public_event=public_event,
                      version=versions.get(key), at=revision["created_at"]))
        db.info[_UNPLACED] = True


@event.listens_for(DbSession, "before_commit")
def _place_on_commit(db: DbSession) -> None:
    """Give this transaction's changes their positions, as the last thing before it commits.

    ``before_commit`` also runs when a SAVEPOINT is released: only the outermost commit places.
    """
    if not db.info.get(_UNPLACED) or db.in_nested_transaction():
        return
    db.flush()
    place(db)
    db.info.pop(_UNPLACED, None)


def place(db: DbSession) -> int:
    """Number the changes this transaction wrote, after every committed one; how many were numbered."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(select(func.pg_advisory_xact_lock(POSITION_LOCK)))
    # Changes without a position are this transaction's own: another's are invisible until committed,
    # and placed before they commit.
    # One statement, however many (a bulk load leaves one per record): each takes the next position in id order.
    last = select(func.coalesce(func.max(Change.position), 0)).correlate(None).scalar_subquery()
    numbered = select(Change.id, (func.row_number().over(order_by=Change.id) + last).label("position")).where(
        Change.position.is_(None)).subquery()
    placed = db.execute(update(Change).where(Change.id == numbered.c.id).values(position=numbered.c.position)
                        .execution_options(synchronize_session=False))
    return placed.rowcount


@dataclass(frozen=True)
class FeedEvent:
    """One event as one reader sees it."""

    cursor: int
    kind: str
    slug: str
    event: str
    at: datetime
    version: int | None
    #: Whether the reader can read the record after this event (not after a delete, nor, for the
    #: public, after it left public view).
    readable: bool


#: Events after which a record cannot be read: by anyone, and by the public.
_GONE = {"deleted"}
_GONE_FOR_PUBLIC = {"deleted", "archived", "unpublished"}


def _seen(row: Change, staff: bool) -> FeedEvent:
    shown = row.event if staff else row.public_event
    assert shown is not None and row.position is not None
    readable = shown not in (_GONE if staff else _GONE_FOR_PUBLIC)
    return FeedEvent(row.position, row.kind, row.slug, shown, row.at, row.version, readable)


@dataclass(frozen=True)
class FeedPage:
    items: list[FeedEvent]
    since: int
    #: Where to continue from: the last cursor of this page, or ``since`` when it is empty.
    last: int
    #: Whether more events were already there after this page.
    more: bool


def read_feed(db: DbSession, since: int, limit: int, *, staff: bool) -> FeedPage:
    """The events after cursor ``since`` (0: from the beginning), oldest first, at most ``limit``.

    Without ``staff``, only what the public sees. A cursor no event holds is a ``QueryError``
    naming ``since`` (a cursor from another registry, or from before a restore of the database).
    """
    if since and db.scalar(select(Change.id).where(Change.position == since)) is None:
        raise QueryError({"since": [f"No event has cursor {since}: start from 0 or from a cursor the feed gave."]})
    statement = select(Change).where(Change.position > since)
    if not staff:
        statement = statement.where(Change.public_event.is_not(None))
    rows = list(db.scalars(statement.order_by(Change.position).limit(limit + 1)))
    items = [_seen(row, staff) for row in rows[:limit]]
    return FeedPage(items, since, items[-1].cursor if items else since, len(rows) > limit)

