"""Slugs, language codes and lengths: the formats the database enforces on both engines.

The database is the last line of defence: whatever the Python validation lets through, every
CHECK, NOT NULL, UNIQUE and FOREIGN KEY rule of the migrated schema must still stop a bad row.
Rows go in through SQLAlchemy Core with every value given explicitly (``tests.models.rows``), so
neither the ORM's Python-side defaults nor any validator takes part. Each test starts from a valid
minimal row and changes one thing.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import DataError

from registry.extensions import db
from tests.models.rows import (
    EDITABLE_TABLES,
    EVENT_SLUG_TABLES,
    SLUG_TABLES,
    TABLES,
    UNIQUE,
    Rows,
    assert_rejected,
    check_param,
    count,
    insert_bad,
)

# --- Slugs and languages -------------------------------------------------------------------------

BAD_SLUGS = {
    "uppercase": "Lisbon",
    "space": "lisbon city",
    "accent": "são-paulo",
    "underscore": "lisbon_city",
    "dot": "lisbon.city",
    "leading-hyphen": "-lisbon",
    "trailing-hyphen": "lisbon-",
    "double-hyphen": "lisbon--city",
    "lone-hyphen": "-",
    "trailing-newline": "lisbon\n",
    "empty": "",
}


@pytest.mark.parametrize("slug", list(BAD_SLUGS.values()), ids=list(BAD_SLUGS))
@pytest.mark.parametrize("table", ["local_governments", "practices", "rights", "sessions"])
def test_malformed_slug_is_rejected(rows: Rows, table: str, slug: str) -> None:
    insert_bad(rows, table, f"ck_{table}_slug_format", slug=slug)


@pytest.mark.parametrize("table", SLUG_TABLES + EVENT_SLUG_TABLES)
def test_every_slug_column_has_the_format_rule(rows: Rows, table: str) -> None:
    insert_bad(rows, table, f"ck_{table}_slug_format", slug="Not A Slug")


@pytest.mark.parametrize("slug", ["a", "x1", "10-7", "sao-paulo", "uclg-cisdp-2024"])
def test_well_formed_slug_is_accepted(rows: Rows, slug: str) -> None:
    rows.insert("practices", slug=slug)
    db.session.commit()


@pytest.mark.parametrize("table", SLUG_TABLES)
def test_duplicate_slug_is_rejected(rows: Rows, table: str) -> None:
    rows.insert(table, slug="same-slug")
    db.session.commit()
    insert_bad(rows, table, UNIQUE, slug="same-slug")
    assert count(table) == 1


BAD_LANGUAGES = {
    "uppercase": "EN",
    "mixed-case": "En",
    "one-letter": "e",
    "digit": "e1",
    "hyphen": "e-",
    "accent": "é",
}


@pytest.mark.parametrize("language", list(BAD_LANGUAGES.values()), ids=list(BAD_LANGUAGES))
def test_malformed_original_language_is_rejected(rows: Rows, language: str) -> None:
    # The multilingual text is keyed by the same code, so the language rule objects; for a non-ASCII
    # code SQLite's JSON path lookup misses the (escaped) key too, and it may report that rule instead.
    statement = insert(TABLES["practices"]).values(rows.values("practices", original_language=language))
    message = str(assert_rejected(statement, "ck_practices_").orig)
    allowed = ["ck_practices_original_language_format"]
    if not language.isascii():
        allowed.append("ck_practices_title_multilingual")
    assert any(name in message for name in allowed), message


@pytest.mark.parametrize("table", ["practices", "rights", "local_governments"])
def test_empty_original_language_is_rejected(rows: Rows, table: str) -> None:
    # Two rules refuse it (the language's format, and text in that language); engines report either.
    statement = insert(TABLES[table]).values(rows.values(table, original_language=""))
    error = assert_rejected(statement, f"ck_{table}_")
    message = str(error.orig)
    assert f"ck_{table}_original_language_format" in message or "_multilingual" in message


@pytest.mark.parametrize("table", EDITABLE_TABLES)
def test_every_original_language_column_has_the_format_rule(rows: Rows, table: str) -> None:
    insert_bad(rows, table, f"ck_{table}_original_language_format", original_language="EN")


@pytest.mark.parametrize("language", ["es", "fr", "ast"])
def test_well_formed_original_language_is_accepted(rows: Rows, language: str) -> None:
    rows.insert("practices", original_language=language)
    db.session.commit()


# --- Values longer than the column: PostgreSQL's varchar(n) stops them, SQLite's CHECK does -------

TOO_LONG = [
    check_param("practices", "original_language_format", "language-english", original_language="english"),
    check_param("rights", "original_language_format", "language-en-gb", original_language="en-gb"),
    check_param("local_governments", "country_format", "country-ESP", country="ESP"),
    check_param("local_governments", "m49_region_format", "m49-1500", m49_region="1500"),
    check_param("api_tokens", "secret_hash_sha256", "secret-hash-65", secret_hash="a" * 65),
]


@pytest.mark.parametrize(("table", "overrides", "constraint"), TOO_LONG)
def test_value_longer_than_its_column_is_rejected(
    rows: Rows, backend: str, table: str, overrides: dict[str, Any], constraint: str
) -> None:
    statement = insert(TABLES[table]).values(rows.values(table, **overrides))
    if backend == "sqlite":  # SQLite ignores varchar lengths: the CHECK is what stops the row
        assert_rejected(statement, constraint)
        return
    with pytest.raises(DataError, match="value too long"):
        db.session.execute(statement)
    db.session.rollback()
