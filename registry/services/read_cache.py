"""What a read computed over many rows, remembered until the data changes (no HTTP here).

Two caches share the data version: ``READS`` (counts, facets, which ids make a page, the catalog of
referred records) and ``ANSWERS`` (whole answers, kept by ``registry.api.remembered``, within a budget
of bytes).

A list's total and its facet counts read every matching practice: at 100,000 practices that is
10 ms for a count and most of a second for facets, on every request, for answers that only change
when something is written. This cache keeps them per process, each under the *data version* it was
computed at: once the version moves, older entries are never read again, and age out (least recently
used first).

The data version. Every write leaves a ``Change`` (``registry.services.feed``), so the changes table
says whether anything changed:

- ``max(position)`` moves when any other transaction commits a write: positions are given at commit,
  each above every committed one, even to a transaction whose ids were taken earlier (which is why
  ``max(id)`` alone would not do on PostgreSQL);
- ``max(id)`` and that change's ``at`` move when the reading transaction itself has written (its own
  changes have no position until it commits), and tell apart two writes that took the same id in
  turn, the first one rolled back (SQLite reuses a rolled-back id; its moment differs).

The version is read before the value is computed, so a value is never older than the version it is
kept under: at worst a request answers with a count one write fresher than its version. The version
begins with the database's URL (a process may serve several, as the tests do). Values are computed
outside the lock; two requests that miss together both compute, and the second one's value wins.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from registry.config import DEFAULT_ANSWER_CACHE_MB
from registry.models import Change

T = TypeVar("T")

#: Entries kept per process (filter sets differ in their values, so an unbounded cache would grow with them).
SIZE = 1024

_latest = select(Change.id, Change.at).order_by(Change.id.desc()).limit(1).subquery()
_VERSION = select(select(func.max(Change.position)).scalar_subquery(), _latest.c.id, _latest.c.at)


def data_version(db: DbSession) -> tuple[Any, ...]:
    """What changes whenever a write becomes visible to ``db``'s reads (see the module's docstring), beginning
    with the database it names."""
    # Through the session's connection (the ORM's execution path costs more than the statement on a warm read),
    # after the flush the ORM would have made: the version must see this transaction's own pending writes.
    if db.autoflush:
        db.flush()
    connection = db.connection()
    row = connection.execute(_VERSION).first()
    url = connection.engine.url
    return (url, *row) if row is not None else (url, None, None, None)


class ReadCache:
    """Values by key, valid for one data version of one database; least recently used dropped first."""

    def __init__(self, size: int = SIZE, budget: int | None = None, weigh: Callable[[Any], int] | None = None) -> None:
        """At most ``size`` entries; with ``budget`` and ``weigh``, also at most ``budget`` units of what ``weigh``
        gives each value (bytes, for answers), least recently used dropped first (a value over the budget alone
        is given but not kept)."""
        self.size, self.budget, self.weigh = size, budget, weigh
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._weights: dict[Hashable, int] = {}
        self.weight = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, db: DbSession, key: Hashable, compute: Callable[[], T], version: tuple[Any, ...] | None = None,
            budget: int | None = None) -> T:
        """The value of ``key`` at ``db``'s current data version (``version``, when the caller has just read it):
        remembered, or ``compute()``-d and kept (within ``budget``, when given, instead of the cache's own)."""
        budget = self.budget if budget is None else budget
        if version is None:
            version = data_version(db)
        full_key = (version, key)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                self.hits += 1
                return self._entries[full_key]
            self.misses += 1
        value = compute()
        weight = self.weigh(value) if self.weigh is not None else 0
        if budget is not None and weight > budget:
            return value
        with self._lock:
            self._forget(full_key)
            self._entries[full_key], self._weights[full_key] = value, weight
            self.weight += weight
            while len(self._entries) > self.size or (budget is not None and self.weight > budget):
                self._forget(next(iter(self._entries)))
        return value

    def _forget(self, full_key: Hashable) -> None:
        if full_key in self._entries:
            del self._entries[full_key]
            self.weight -= self._weights.pop(full_key)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._weights.clear()
            self.weight = self.hits = self.misses = 0


#: The process's cache of the practices' counts and facets, and of the records they refer to.
READS = ReadCache()

#: Bytes of whole answers a process keeps (``registry.api.remembered``) unless ``REGISTRY_ANSWER_CACHE_MB`` says
#: otherwise.
ANSWER_BUDGET = DEFAULT_ANSWER_CACHE_MB * 1024 * 1024

#: The process's cache of whole answers of the public reads, weighed by their bytes.
ANSWERS = ReadCache(budget=ANSWER_BUDGET, weigh=lambda answer: len(answer.body))


def clear() -> None:
    """Forget everything this process remembers (tests; never needed for correctness)."""
    READS.clear()
    ANSWERS.clear()
