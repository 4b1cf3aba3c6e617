"""Guards: every documented sort of the practice list, and every filter, is read through an index.

The plans are those of the real statements (``matching`` and the sort's ``keyset``, compiled with literal values), on a
database of their own whose planner believes the tables large:

- SQLite: ``ANALYZE``, then ``sqlite_stat1`` rewritten to claim 100,000 practices and 200,000 rows in each
  association table (no rows inserted), reloaded with ``ANALYZE sqlite_schema``. Then no statement may scan
  practices or an association table, and no sort may need a temporary B-tree.
- PostgreSQL: its statistics cannot be claimed, so 2,000 synthetic practices are inserted and ANALYZEd; the
  planner then reads the first page of each documented sort from an index (a seq scan plus top-N sort costs
  more), so no sort plan may hold a ``Seq Scan on practices`` or a ``Sort`` node. Filters are left out there:
  at 2,000 rows a seq scan of an association table can honestly be the cheapest plan.

Each test then drops an index and shows the guard catching it.
"""

from __future__ import annotations

import itertools
import re

from flask import Flask
from sqlalchemy import text

from registry.extensions import db
from registry.services.practices import PracticeQuery, keyset, matching
from tests.factories import insert_practices

SORTS = ("-updated_at", "updated_at", "title", "-title", "start_year", "-start_year")
FILTERS = (
    {"right": ["housing"]}, {"question": ["droits-humains-des-migrants-q1"]}, {"target_group": ["women"]},
    {"practice_type": ["humanitarian-reception"]}, {"gcm_objective": ["gcm-objective-15"]},
    {"sdg_target": ["10-7"]}, {"local_government": ["madrid"]}, {"country": ["ES"]}, {"region": ["150"]},
    {"network": ["uclg"]}, {"session": ["droits-humains-des-migrants"]}, {"documentation": ["complete"]},
    {"right": ["housing"], "country": ["ES"]},
)
#: Tables that grow with the practices: never scanned whole.
LARGE = re.compile(r"^SCAN (practices|practice_\w+)\b")
CLAIMED_PRACTICES = 100_000


def _statement(filters: dict[str, list[str]], sort: str | None) -> str:
    statement = matching(db.session, PracticeQuery(filters=filters))
    statement = keyset(db.session, sort or "-updated_at").keys(statement).limit(20)  # how a page finds its rows
    return str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))


_FRESH = itertools.count()


def _sqlite_plan(sql: str) -> list[str]:
    # A comment that differs each time: pysqlite would reuse a statement it prepared (and planned) before a
    # DROP INDEX.
    return [row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql} -- {next(_FRESH)}"))]


def _sqlite_faults(filters: dict[str, list[str]], sort: str | None) -> list[str]:
    plan = _sqlite_plan(_statement(filters, sort))
    faults = [line for line in plan if LARGE.match(line)]
    if not filters:  # the list in a documented order: read in order from an index
        faults += [line for line in plan if "TEMP B-TREE" in line and "ORDER BY" in line]
    return faults


#: How many ways each column splits the rows before it (a column not named: 20 values, e.g. a classification).
FANOUT = {"status": 2, "deleted_at": 1, "documentation": 3, "start_year": 100}
UNIQUE_ENOUGH = {"id", "slug", "updated_at", "practice_id", None}  # None: an expression (the title)


def _stat(rows: int, columns: list[str | None]) -> str:
    counts, per_value = [rows], rows
    for column in columns:
        per_value = 1 if column in UNIQUE_ENOUGH else max(1, per_value // FANOUT.get(column, 20))
        counts.append(per_value)
    return " ".join(map(str, counts))


def _claim_large_tables() -> None:
    """sqlite_stat1 says: 100k practices (half of them published, none deleted), 200k rows per association."""
    db.session.execute(text("ANALYZE"))
    tables = [name for (name,) in db.session.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND (name = 'practices' OR name LIKE 'practice\\_%' "
        "ESCAPE '\\') AND name NOT LIKE 'practice_search%'"))]
    for table in tables:
        db.session.execute(text("DELETE FROM sqlite_stat1 WHERE tbl = :t"), {"t": table})
        rows = CLAIMED_PRACTICES if table == "practices" else 2 * CLAIMED_PRACTICES
        for _, index, *_ in db.session.execute(text(f"PRAGMA index_list('{table}')")).all():
            columns = [info[2] for info in db.session.execute(text(f"PRAGMA index_xinfo('{index}')")) if info[5]]
            db.session.execute(text("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (:t, :i, :s)"),
                               {"t": table, "i": index, "s": _stat(rows, columns)})
    db.session.execute(text("ANALYZE sqlite_schema"))  # the planner reads sqlite_stat1 again


def test_sqlite_reads_every_sort_and_filter_through_an_index(own_seeded_app: Flask, backend: str) -> None:
    if backend != "sqlite":
        return
    with own_seeded_app.app_context():
        _claim_large_tables()
        faults = {f"{filters} {sort}": found for filters, sort in [*(({}, s) for s in SORTS),
                                                                    *((f, None) for f in FILTERS)]
                  if (found := _sqlite_faults(filters, sort))}
        assert faults == {}
        # The guard sees an index go: the default order then sorts, the right filter scans its table.
        db.session.execute(text("DROP INDEX ix_practices_listed_updated_at_desc"))
        db.session.execute(text("DROP INDEX ix_practice_rights_filter"))
        assert any("TEMP B-TREE" in line for line in _sqlite_faults({}, "-updated_at"))
        assert any(line.startswith("SCAN practice_rights") for line in _sqlite_faults({"right": ["housing"]}, None))
        db.session.rollback()


def _postgres_faults(sort: str) -> list[str]:
    plan = [line for (line,) in db.session.execute(text("EXPLAIN " + _statement({}, sort)))]
    return [line for line in plan if "Seq Scan on practices" in line or re.search(r"\bSort\b", line)]


def test_postgresql_reads_every_sort_through_an_index(own_seeded_app: Flask, backend: str) -> None:
    if backend != "postgresql":
        return
    with own_seeded_app.app_context():
        insert_practices(2000, prefix="synthetic-planner")
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        faults = {sort: found for sort in SORTS if (found := _postgres_faults(sort))}
        assert faults == {}
        db.session.execute(text("DROP INDEX ix_practices_listed_updated_at_desc"))
        assert _postgres_faults("-updated_at") != []
        db.session.rollback()
