"""The migrated schema carries every rule of the models; valid rows pass and NOT NULL holds.

The database is the last line of defence: whatever the Python validation lets through, every
CHECK, NOT NULL, UNIQUE and FOREIGN KEY rule of the migrated schema must still stop a bad row.
Rows go in through SQLAlchemy Core with every value given explicitly (``tests.models.rows``), so
neither the ORM's Python-side defaults nor any validator takes part. Each test starts from a valid
minimal row and changes one thing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import CheckConstraint, insert, inspect, null, text
from sqlalchemy.exc import IntegrityError

from registry.extensions import db
from tests.models.rows import EVENT_SLUG_TABLES, ML_COLUMNS, SLUG_TABLES, TABLES, Rows, count, insert_bad

# --- The helper's rows are valid, SQLite enforces foreign keys ---------------------------------


@pytest.mark.parametrize("table", sorted(TABLES))
def test_valid_minimal_row_is_accepted(rows: Rows, table: str) -> None:
    rows.insert(table)
    rows.insert(table)
    db.session.commit()
    assert count(table) == 2


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_connections_enforce_foreign_keys(rows: Rows, backend: str) -> None:
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_database_has_every_check_the_models_declare(rows: Rows) -> None:
    """The migrated schema carries each model CheckConstraint (by name) on this engine."""
    inspector = inspect(db.engine)
    missing = {}
    for table in TABLES.values():
        # The naming convention has already turned "slug_format" into "ck_<table>_slug_format".
        declared = {str(c.name) for c in table.constraints if isinstance(c, CheckConstraint)}
        present = {c["name"] for c in inspector.get_check_constraints(table.name)}
        if declared - present:
            missing[table.name] = sorted(declared - present)
    assert missing == {}


def test_case_lists_cover_every_multilingual_column(rows: Rows) -> None:
    inspector = inspect(db.engine)
    in_database = {
        (table, check["name"].removeprefix(f"ck_{table}_").removesuffix("_multilingual"))
        for table in TABLES
        for check in inspector.get_check_constraints(table)
        if check["name"].endswith("_multilingual")
    }
    assert in_database == set(ML_COLUMNS)
    assert {t for t in TABLES if "slug" in TABLES[t].c} == set(SLUG_TABLES) | set(EVENT_SLUG_TABLES)


# --- NOT NULL ------------------------------------------------------------------------------------


def _not_null_columns(table: str) -> list[str]:
    """The NOT NULL columns of ``table``, leaving out a lone surrogate ``id`` the database fills in."""
    surrogate = [c.name for c in TABLES[table].primary_key] == ["id"]
    return [c.name for c in TABLES[table].c if not c.nullable and not (surrogate and c.name == "id")]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_not_null_columns_reject_sql_null(rows: Rows, table: str) -> None:
    """Each column the model declares NOT NULL refuses an explicit SQL NULL (``null()``)."""
    accepted = []
    for column in _not_null_columns(table):
        statement = insert(TABLES[table]).values(rows.values(table, **{column: null()}))
        try:
            db.session.execute(statement)
        except IntegrityError as error:
            # SQLite: "NOT NULL constraint failed: t.c"; PostgreSQL: 'null value in column "c" ... not-null'
            message = str(error.orig).lower()
            assert "null" in message and column in message, message
        else:
            accepted.append(column)
        db.session.rollback()
    assert accepted == []
    assert _not_null_columns(table)


def test_practice_without_provenance_is_rejected(rows: Rows) -> None:
    insert_bad(rows, "practices", "null", provenance=None)
    assert count("practices") == 0
