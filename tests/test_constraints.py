"""The database's own rules reject bad rows, on SQLite and on PostgreSQL alike.

The database is the last line of defence: whatever the Python validation lets through, every
CHECK, NOT NULL, UNIQUE and FOREIGN KEY rule of the migrated schema must still stop a bad row.
Rows therefore go in through SQLAlchemy Core (``insert(table).values(...)``) with every value
given explicitly, so neither the ORM's Python-side defaults nor any validator takes part.

Each test starts from a valid minimal row (see ``Rows``; ``test_valid_minimal_row_is_accepted``
proves those rows pass) and changes one thing. A CHECK failure must name its constraint: SQLite
says "CHECK constraint failed: ck_...", PostgreSQL 'violates check constraint "ck_..."'.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import JSON, CheckConstraint, Executable, delete, func, insert, inspect, null, select, text, update
from sqlalchemy.exc import DataError, IntegrityError

from registry.extensions import db
from registry.models import Base

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
TABLES = Base.metadata.tables

SLUG_TABLES = [
    "gcm_objectives",
    "gcm_principles",
    "local_governments",
    "networks",
    "organisations",
    "people",
    "practice_types",
    "practices",
    "questions",
    "rights",
    "sdg_targets",
    "sessions",
    "target_groups",
]
#: Every table with multilingual text also has ``original_language``, ``version`` and a slug.
EDITABLE_TABLES = SLUG_TABLES

REQUIRED_ML_COLUMNS = [
    ("gcm_objectives", "short_title"),
    ("gcm_objectives", "title"),
    ("gcm_principles", "title"),
    ("local_governments", "name"),
    ("networks", "name"),
    ("organisations", "name"),
    ("people", "role"),
    ("practice_types", "label"),
    ("practices", "title"),
    ("questions", "text"),
    ("rights", "label"),
    ("sdg_targets", "title"),
    ("sessions", "title"),
    ("target_groups", "label"),
]
OPTIONAL_ML_COLUMNS = [
    ("gcm_principles", "description"),
    ("practice_types", "description"),
    ("practices", "description"),
    ("practices", "evidence"),
    ("practices", "outcomes"),
    ("practices", "summary"),
    ("rights", "description"),
    ("sessions", "description"),
    ("target_groups", "description"),
]
ML_COLUMNS = REQUIRED_ML_COLUMNS + OPTIONAL_ML_COLUMNS

#: Association table -> (owner table, owner column, target table, target column). Deleting the
#: owner cascades to its links; deleting a target that is still linked is refused.
ASSOCIATIONS: dict[str, tuple[str, str, str, str]] = {
    "local_government_networks": ("local_governments", "local_government_id", "networks", "network_id"),
    "practice_gcm_objectives": ("practices", "practice_id", "gcm_objectives", "gcm_objective_id"),
    "practice_gcm_principles": ("practices", "practice_id", "gcm_principles", "gcm_principle_id"),
    "practice_organisations": ("practices", "practice_id", "organisations", "organisation_id"),
    "practice_partner_local_governments": (
        "practices", "practice_id", "local_governments", "local_government_id"
    ),
    "practice_practice_types": ("practices", "practice_id", "practice_types", "practice_type_id"),
    "practice_questions": ("practices", "practice_id", "questions", "question_id"),
    "practice_rights": ("practices", "practice_id", "rights", "right_id"),
    "practice_sdg_targets": ("practices", "practice_id", "sdg_targets", "sdg_target_id"),
    "practice_target_groups": ("practices", "practice_id", "target_groups", "target_group_id"),
}

NO_ROW = 999_999


class Rows:
    """Builds and inserts valid minimal rows with Core, creating the rows they refer to.

    ``values(table, **overrides)`` gives the column values of a valid row with ``overrides``
    applied (a referenced row is created only when its column is not overridden; multilingual
    text is keyed by the overriding ``original_language``, if any). ``insert`` runs it.
    """

    def __init__(self) -> None:
        self._serials: defaultdict[str, Iterator[int]] = defaultdict(lambda: itertools.count(1))

    def insert(self, table: str, **overrides: Any) -> Any:
        """Insert a valid row with ``overrides``; return its primary key (a tuple if composite)."""
        result = db.session.execute(insert(TABLES[table]).values(self.values(table, **overrides)))
        key = tuple(result.inserted_primary_key)
        return key[0] if len(key) == 1 else key

    def values(self, table: str, **overrides: Any) -> dict[str, Any]:
        n = next(self._serials[table])
        if table in ASSOCIATIONS:
            owner_table, owner_column, target_table, target_column = ASSOCIATIONS[table]
            row = {
                owner_column: self._ref(overrides, owner_column, owner_table),
                target_column: self._ref(overrides, target_column, target_table),
            }
        else:
            row = getattr(self, f"_{table}")(n, overrides)
        return {**row, **overrides}

    def _ref(self, overrides: dict[str, Any], column: str, table: str) -> Any:
        return overrides[column] if column in overrides else self.insert(table)

    @staticmethod
    def _editable(table: str, n: int, overrides: dict[str, Any], *ml_columns: str) -> dict[str, Any]:
        language = overrides.get("original_language", "en")
        if not isinstance(language, str):  # e.g. null(): key the text by a real code
            language = "en"
        return {
            "slug": f"{table.replace('_', '-')}-{n}",
            "original_language": language,
            **{column: {language: f"{column} {n}"} for column in ml_columns},
            "version": 1,
            "created_at": NOW,
            "updated_at": NOW,
        }

    def _networks(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return self._editable("networks", n, o, "name")

    def _local_governments(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._editable("local_governments", n, o, "name"),
            "kind": "municipality",
            "country": "ES",
            "m49_region": "150",
            "m49_sub_region": "039",
        }

    def _organisations(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {**self._editable("organisations", n, o, "name"), "kind": "civil_society"}

    def _people(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return self._editable("people", n, o, "role")

    def _rights(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {**self._editable("rights", n, o, "label"), "instruments": [], "named_in_session": False}

    def _target_groups(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return self._editable("target_groups", n, o, "label")

    def _practice_types(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return self._editable("practice_types", n, o, "label")

    def _gcm_objectives(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {**self._editable("gcm_objectives", n, o, "short_title", "title"), "number": n}

    def _gcm_principles(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {**self._editable("gcm_principles", n, o, "title"), "number": n}

    def _sdg_targets(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {**self._editable("sdg_targets", n, o, "title"), "goal": 10, "code": f"10.{n}"}

    def _sessions(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return self._editable("sessions", n, o, "title")

    def _questions(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._editable("questions", n, o, "text"),
            "session_id": self._ref(o, "session_id", "sessions"),
            "number": n,
        }

    def _session_participants(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {
            "session_id": self._ref(o, "session_id", "sessions"),
            "person_id": self._ref(o, "person_id", "people"),
            "role": "speaker",
            "position": 0,
        }

    def _practices(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._editable("practices", n, o, "title"),
            "lead_local_government_id": self._ref(o, "lead_local_government_id", "local_governments"),
            "funding_kinds": [],
            "provenance": "Test fixture",
            "documentation_status": "pending",
            "status": "draft",
        }

    def _practice_sources(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {
            "practice_id": self._ref(o, "practice_id", "practices"),
            "position": 0,
            "title": f"Source {n}",
            "url": "https://example.org/report.pdf",
            "kind": "report",
        }

    def _api_tokens(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": f"token {n}",
            "role": "editor",
            "secret_hash": f"{n:064x}",
            "prefix": f"rt_{n}",
            "created_at": NOW,
        }

    def _idempotency_keys(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {
            "token_id": self._ref(o, "token_id", "api_tokens"),
            "key": f"key-{n}",
            "request_hash": f"{n:064x}",
            "status": 201,
            "body": "{}",
            "created_at": NOW,
        }

    def _revisions(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {
            "entity_type": "practice",
            "entity_id": n,
            "entity_slug": f"practice-{n}",
            "action": "create",
            "actor": "tester",
            "created_at": NOW,
            "changes": {},
        }


@pytest.fixture
def rows(app: Flask) -> Iterator[Rows]:
    with app.app_context():
        yield Rows()


#: Words both engines put in the message of a rule without a name of its own in SQLite's message.
UNIQUE = "unique constraint"  # SQLite "UNIQUE constraint failed", PostgreSQL "violates unique constraint"
FOREIGN_KEY = "foreign key"  # SQLite "FOREIGN KEY constraint failed", PostgreSQL "violates foreign key constraint"


def assert_rejected(statement: Executable, expected: str) -> IntegrityError:
    """The statement fails with IntegrityError whose message holds ``expected``; roll back.

    ``expected`` is a CHECK constraint's name, or ``UNIQUE`` / ``FOREIGN_KEY`` (case-insensitive).
    """
    with pytest.raises(IntegrityError) as caught:
        db.session.execute(statement)
    db.session.rollback()
    assert expected.lower() in str(caught.value.orig).lower()
    return caught.value


def insert_bad(rows: Rows, table: str, expected: str, **overrides: Any) -> None:
    """A valid row of ``table`` changed by ``overrides`` is rejected (see ``assert_rejected``)."""
    statement = insert(TABLES[table]).values(rows.values(table, **overrides))
    assert_rejected(statement, expected)


def count(table: str) -> int:
    return db.session.scalar(select(func.count()).select_from(TABLES[table])) or 0


def check_param(table: str, rule: str, case_id: str, /, **overrides: Any) -> Any:
    """One bad variant: ``overrides`` on a valid ``table`` row break CHECK ``ck_<table>_<rule>``."""
    return pytest.param(table, overrides, f"ck_{table}_{rule}", id=f"{table}-{case_id}")


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
    assert {t for t in TABLES if "slug" in TABLES[t].c} == set(SLUG_TABLES)


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


@pytest.mark.parametrize("table", SLUG_TABLES)
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


# --- Multilingual JSON ---------------------------------------------------------------------------

BAD_MULTILINGUAL = {
    "json-list": ["x"],
    "json-string": "x",
    "json-number": 7,
    "json-null": JSON.NULL,
    "value-number": {"en": 1},
    "value-null": {"en": None},
    "value-list": {"en": ["x"]},
    "value-object": {"en": {"text": "x"}},
}
MISSING_ORIGINAL_LANGUAGE = {"other-language-only": {"fr": "x"}, "empty-object": {}}


def _ml_cases(columns: list[tuple[str, str]], values: dict[str, Any], marks: Any = ()) -> list[Any]:
    return [
        pytest.param(table, column, value, id=f"{table}.{column}-{name}", marks=marks)
        for table, column in columns
        for name, value in values.items()
    ]


#: Every variant on a few columns (required and optional); on every other column, one variant
#: for each half of the rule (is an object / holds a string in the original language).
SAMPLE_ML_COLUMNS = [
    ("practices", "title"),
    ("practices", "summary"),
    ("rights", "label"),
    ("local_governments", "name"),
]
EACH_HALF = {name: BAD_MULTILINGUAL[name] for name in ("json-list", "value-number")}


@pytest.mark.parametrize(
    ("table", "column", "value"),
    _ml_cases(SAMPLE_ML_COLUMNS, BAD_MULTILINGUAL)
    + _ml_cases([c for c in ML_COLUMNS if c not in SAMPLE_ML_COLUMNS], EACH_HALF)
    + _ml_cases(
        SAMPLE_ML_COLUMNS,
        MISSING_ORIGINAL_LANGUAGE,
    ),
)
def test_malformed_multilingual_text_is_rejected(rows: Rows, table: str, column: str, value: Any) -> None:
    insert_bad(rows, table, f"ck_{table}_{column}_multilingual", **{column: value})


@pytest.mark.parametrize(("table", "column"), OPTIONAL_ML_COLUMNS, ids=[f"{t}.{c}" for t, c in OPTIONAL_ML_COLUMNS])
def test_optional_multilingual_text_accepts_sql_null(rows: Rows, table: str, column: str) -> None:
    key = rows.insert(table, **{column: null()})
    db.session.commit()
    target = TABLES[table]
    assert db.session.scalar(select(func.count()).where(target.c.id == key, target.c[column].is_(None))) == 1


@pytest.mark.parametrize(("table", "column"), OPTIONAL_ML_COLUMNS, ids=[f"{t}.{c}" for t, c in OPTIONAL_ML_COLUMNS])
def test_optional_multilingual_text_accepts_a_translation_set(rows: Rows, table: str, column: str) -> None:
    rows.insert(table, **{column: {"en": "In English", "es": "En español"}})
    db.session.commit()


# --- Table rules ---------------------------------------------------------------------------------

LG = "local_governments"
CHECK_CASES = [
    # local governments
    check_param(LG, "country_format", "country-lowercase", country="es"),
    check_param(LG, "country_format", "country-digit", country="E1"),
    check_param(LG, "country_format", "country-one-letter", country="E"),
    check_param(LG, "country_format", "country-empty", country=""),
    check_param(LG, "kind_allowed", "kind-city", kind="city"),
    check_param(LG, "kind_allowed", "kind-uppercase", kind="Municipality"),
    check_param(LG, "latitude_range", "latitude-91", latitude=91.0, longitude=0.0),
    check_param(LG, "latitude_range", "latitude-minus-90.5", latitude=-90.5, longitude=0.0),
    check_param(LG, "longitude_range", "longitude-minus-181", latitude=0.0, longitude=-181.0),
    check_param(LG, "longitude_range", "longitude-180.5", latitude=0.0, longitude=180.5),
    check_param(LG, "coordinates_paired", "latitude-without-longitude", latitude=41.4),
    check_param(LG, "coordinates_paired", "longitude-without-latitude", longitude=2.2),
    check_param(LG, "m49_region_format", "m49-region-19", m49_region="19"),
    check_param(LG, "m49_region_format", "m49-region-letters", m49_region="EUR"),
    check_param(LG, "m49_sub_region_format", "m49-sub-region-3", m49_sub_region="3"),
    check_param(LG, "m49_intermediate_region_format", "m49-intermediate-1a", m49_intermediate_region="1a"),
    check_param(LG, "website_http", "website-ftp", website="ftp://example.org"),
    check_param(LG, "website_http", "website-no-scheme", website="example.org"),
    check_param(LG, "website_http", "website-uppercase-scheme", website="HTTP://example.org"),
    check_param(LG, "version_positive", "version-0", version=0),
    # networks, organisations, people
    check_param("networks", "website_http", "website-ftp", website="ftp://uclg.org"),
    check_param("networks", "version_positive", "version-0", version=0),
    check_param("organisations", "kind_allowed", "kind-ngo", kind="ngo"),
    check_param("organisations", "country_format", "country-lowercase", country="fr"),
    check_param("organisations", "website_http", "website-mailto", website="mailto:x@example.org"),
    check_param("people", "name_not_empty", "name-empty", name=""),
    check_param("people", "version_positive", "version-negative", version=-1),
    # practices
    check_param("practices", "status_allowed", "status-deleted", status="deleted"),
    check_param("practices", "status_allowed", "status-uppercase", status="DRAFT"),
    check_param("practices", "documentation_status_allowed", "documentation-unknown", documentation_status="unknown"),
    check_param("practices", "start_year_range", "start-year-1800", start_year=1800),
    check_param("practices", "start_year_range", "start-year-2101", start_year=2101),
    check_param("practices", "end_year_range", "end-year-1899", end_year=1899),
    check_param("practices", "end_year_range", "end-year-2101", end_year=2101),
    check_param("practices", "year_order", "end-before-start", start_year=2020, end_year=2010),
    check_param("practices", "published_dated", "published-without-date", status="published", published_at=None),
    check_param("practices", "version_positive", "version-0", version=0),
    # practice sources
    check_param("practice_sources", "kind_allowed", "kind-podcast", kind="podcast"),
    check_param("practice_sources", "url_http", "url-ftp", url="ftp://x"),
    check_param("practice_sources", "url_http", "url-no-scheme", url="example.org/report"),
    check_param("practice_sources", "url_http", "url-uppercase-scheme", url="HTTPS://example.org/report"),
    check_param("practice_sources", "title_not_empty", "title-empty", title=""),
    check_param("practice_sources", "position_not_negative", "position-negative", position=-1),
    # reference lists
    check_param("gcm_objectives", "number_range", "number-0", number=0),
    check_param("gcm_objectives", "number_range", "number-24", number=24),
    check_param("gcm_principles", "number_range", "number-0", number=0),
    check_param("gcm_principles", "number_range", "number-11", number=11),
    check_param("sdg_targets", "goal_range", "goal-0", goal=0, code="0.1"),
    check_param("sdg_targets", "goal_range", "goal-18", goal=18, code="18.1"),
    check_param("sdg_targets", "code_in_goal", "code-5.2-in-goal-10", goal=10, code="5.2"),
    check_param("sdg_targets", "code_in_goal", "code-10.7-in-goal-1", goal=1, code="10.7"),
    check_param("sdg_targets", "code_in_goal", "code-without-dot", goal=10, code="107"),
    check_param("rights", "version_positive", "version-0", version=0),
    check_param("target_groups", "version_positive", "version-0", version=0),
    check_param("practice_types", "version_positive", "version-0", version=0),
    # sessions and questions
    check_param("sessions", "time_order", "end-equals-start", start_time=time(10, 0), end_time=time(10, 0)),
    check_param("sessions", "time_order", "end-before-start", start_time=time(10, 0), end_time=time(9, 30)),
    check_param("questions", "number_positive", "number-0", number=0),
    check_param("questions", "number_positive", "number-negative", number=-3),
    check_param("session_participants", "role_allowed", "role-chair", role="chair"),
    check_param("session_participants", "position_not_negative", "position-negative", position=-1),
    # editorial
    check_param("api_tokens", "role_allowed", "role-viewer", role="viewer"),
    check_param("api_tokens", "role_allowed", "role-uppercase", role="ADMIN"),
    check_param("api_tokens", "secret_hash_sha256", "secret-hash-63", secret_hash="a" * 63),
    check_param("idempotency_keys", "key_not_empty", "key-empty", key=""),
    check_param("idempotency_keys", "request_hash_sha256", "request-hash-63", request_hash="a" * 63),
    check_param("api_tokens", "secret_hash_sha256", "secret-hash-empty", secret_hash=""),
    check_param("api_tokens", "name_not_empty", "name-empty", name=""),
    check_param("revisions", "action_allowed", "action-purge", action="purge"),
    check_param("revisions", "actor_not_empty", "actor-empty", actor=""),
]


@pytest.mark.parametrize(("table", "overrides", "constraint"), CHECK_CASES)
def test_check_constraint_rejects_bad_row(rows: Rows, table: str, overrides: dict[str, Any], constraint: str) -> None:
    insert_bad(rows, table, constraint, **overrides)


GOOD_EDGES = [
    pytest.param(LG, {"latitude": 90.0, "longitude": 180.0}, id="coordinates-max"),
    pytest.param(LG, {"latitude": -90.0, "longitude": -180.0}, id="coordinates-min"),
    pytest.param(LG, {"latitude": None, "longitude": None}, id="coordinates-absent"),
    pytest.param(LG, {"m49_intermediate_region": "005", "website": "http://example.org"}, id="m49-and-http"),
    pytest.param("organisations", {"country": None}, id="organisation-without-country"),
    pytest.param("people", {"name": None}, id="person-without-name"),
    pytest.param("practices", {"start_year": 1900, "end_year": 2100}, id="years-at-bounds"),
    pytest.param("practices", {"start_year": 2020, "end_year": 2020}, id="single-year"),
    pytest.param("practices", {"status": "published", "published_at": NOW}, id="published-with-date"),
    pytest.param("practices", {"status": "archived", "documentation_status": "documented"}, id="archived"),
    pytest.param("practice_sources", {"url": None, "position": 0}, id="source-without-url"),
    pytest.param("gcm_objectives", {"number": 23}, id="gcm-objective-23"),
    pytest.param("gcm_principles", {"number": 10}, id="gcm-principle-10"),
    pytest.param("sdg_targets", {"goal": 17, "code": "17.18"}, id="sdg-17.18"),
    pytest.param("sdg_targets", {"goal": 1, "code": "1.a"}, id="sdg-1.a"),
    pytest.param("sessions", {"start_time": time(9, 0), "end_time": time(10, 30)}, id="session-times"),
    pytest.param("sessions", {"start_time": time(9, 0), "end_time": None}, id="session-open-end"),
    pytest.param("session_participants", {"role": "moderator"}, id="moderator"),
    pytest.param("api_tokens", {"role": "admin"}, id="admin-token"),
]


@pytest.mark.parametrize(("table", "overrides"), GOOD_EDGES)
def test_edge_values_are_accepted(rows: Rows, table: str, overrides: dict[str, Any]) -> None:
    rows.insert(table, **overrides)
    db.session.commit()
    assert count(table) == 1


UPDATE_CASES = [
    pytest.param("practices", {"slug": "Bad Slug"}, "ck_practices_slug_format", id="practice-slug"),
    pytest.param("practices", {"status": "published"}, "ck_practices_published_dated", id="practice-published"),
    pytest.param("practices", {"version": 0}, "ck_practices_version_positive", id="practice-version"),
    pytest.param("rights", {"label": {"en": 5}}, "ck_rights_label_multilingual", id="right-label"),
    pytest.param(
        "rights",
        {"original_language": "fr"},
        "ck_rights_label_multilingual",
        id="right-language-without-text",
    ),
    pytest.param(LG, {"latitude": 10.0}, "ck_local_governments_coordinates_paired", id="lg-half-coordinates"),
]


@pytest.mark.parametrize(("table", "changes", "constraint"), UPDATE_CASES)
def test_update_into_a_bad_state_is_rejected(rows: Rows, table: str, changes: dict[str, Any], constraint: str) -> None:
    key = rows.insert(table)
    db.session.commit()
    target = TABLES[table]
    assert_rejected(update(target).where(target.c.id == key).values(**changes), constraint)


def test_local_government_cannot_be_its_own_parent(rows: Rows) -> None:
    table = TABLES["local_governments"]
    key = rows.insert("local_governments")
    db.session.commit()
    assert_rejected(update(table).where(table.c.id == key).values(parent_id=key), "ck_local_governments_not_own_parent")
    other = rows.insert("local_governments", parent_id=key)  # another parent is fine
    db.session.commit()
    assert other != key


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


# --- UNIQUE --------------------------------------------------------------------------------------

UNIQUE_CASES = [
    pytest.param("gcm_objectives", ("number",), id="gcm-objective-number"),
    pytest.param("gcm_principles", ("number",), id="gcm-principle-number"),
    pytest.param("sdg_targets", ("code",), id="sdg-target-code"),
    pytest.param("api_tokens", ("name",), id="token-name"),
    pytest.param("api_tokens", ("secret_hash",), id="token-secret-hash"),
    pytest.param("questions", ("session_id", "number"), id="question-session-number"),
    pytest.param("session_participants", ("session_id", "person_id", "role"), id="participant-session-person-role"),
    *(pytest.param(name, (owner, target), id=name) for name, (_, owner, _, target) in ASSOCIATIONS.items()),
]


@pytest.mark.parametrize(("table", "columns"), UNIQUE_CASES)
def test_duplicate_unique_key_is_rejected(rows: Rows, table: str, columns: tuple[str, ...]) -> None:
    first = rows.values(table)
    db.session.execute(insert(TABLES[table]).values(first))
    db.session.commit()
    insert_bad(rows, table, UNIQUE, **{column: first[column] for column in columns})
    assert count(table) == 1


def test_same_question_number_in_another_session_is_accepted(rows: Rows) -> None:
    rows.insert("questions", number=1)
    rows.insert("questions", number=1)
    db.session.commit()
    assert count("questions") == 2


# --- FOREIGN KEYS and what deleting does ---------------------------------------------------------

FK_CASES = [
    pytest.param("practices", "lead_local_government_id", id="practice-lead-local-government"),
    pytest.param("practices", "session_id", id="practice-session"),
    pytest.param("practice_sources", "practice_id", id="source-practice"),
    pytest.param("questions", "session_id", id="question-session"),
    pytest.param("session_participants", "session_id", id="participant-session"),
    pytest.param("session_participants", "person_id", id="participant-person"),
    pytest.param("people", "local_government_id", id="person-local-government"),
    pytest.param("people", "organisation_id", id="person-organisation"),
    pytest.param("people", "network_id", id="person-network"),
    pytest.param("local_governments", "parent_id", id="local-government-parent"),
    pytest.param("networks", "parent_id", id="network-parent"),
    pytest.param("rights", "parent_id", id="right-parent"),
    pytest.param("revisions", "token_id", id="revision-token"),
    *(pytest.param(name, owner, id=f"{name}-{owner}") for name, (_, owner, _, _) in ASSOCIATIONS.items()),
    *(pytest.param(name, target, id=f"{name}-{target}") for name, (_, _, _, target) in ASSOCIATIONS.items()),
]


@pytest.mark.parametrize(("table", "column"), FK_CASES)
def test_reference_to_a_missing_row_is_rejected(rows: Rows, table: str, column: str) -> None:
    insert_bad(rows, table, FOREIGN_KEY, **{column: NO_ROW})
    assert count(table) == 0


def _delete(table: str, key: Any) -> Executable:
    return delete(TABLES[table]).where(TABLES[table].c.id == key)


@pytest.mark.parametrize("association", list(ASSOCIATIONS))
def test_deleting_a_linked_target_is_restricted(rows: Rows, association: str) -> None:
    _, _, target_table, target_column = ASSOCIATIONS[association]
    target = rows.insert(target_table)
    rows.insert(association, **{target_column: target})
    db.session.commit()
    assert_rejected(_delete(target_table, target), FOREIGN_KEY)
    assert count(association) == 1
    assert db.session.scalar(select(func.count()).where(TABLES[target_table].c.id == target)) == 1


@pytest.mark.parametrize("association", list(ASSOCIATIONS))
def test_deleting_the_owner_cascades_to_its_links(rows: Rows, association: str) -> None:
    owner_table, owner_column, target_table, _ = ASSOCIATIONS[association]
    owner = rows.insert(owner_table)
    rows.insert(association, **{owner_column: owner})
    rows.insert(association, **{owner_column: owner})
    kept = rows.insert(association)  # someone else's link stays
    db.session.commit()
    targets = count(target_table)
    db.session.execute(_delete(owner_table, owner))
    db.session.commit()
    remaining = db.session.execute(select(TABLES[association])).all()
    assert [tuple(row) for row in remaining] == [kept]
    assert count(target_table) == targets  # the targets themselves are untouched


def test_deleting_a_right_linked_to_a_practice_is_restricted_and_the_practice_cascades(rows: Rows) -> None:
    right = rows.insert("rights")
    practice = rows.insert("practices")
    rows.insert("practice_rights", practice_id=practice, right_id=right)
    db.session.commit()
    assert_rejected(_delete("rights", right), FOREIGN_KEY)
    db.session.execute(_delete("practices", practice))
    db.session.commit()
    assert count("practice_rights") == 0
    db.session.execute(_delete("rights", right))  # no longer linked: now it may go
    db.session.commit()
    assert count("rights") == 0


RESTRICTED_DELETES = [
    pytest.param("local_governments", "practices", "lead_local_government_id", id="lead-of-a-practice"),
    pytest.param("local_governments", "local_governments", "parent_id", id="parent-local-government"),
    pytest.param("local_governments", "people", "local_government_id", id="local-government-of-a-person"),
    pytest.param("sessions", "practices", "session_id", id="session-of-a-practice"),
    pytest.param("sessions", "questions", "session_id", id="session-with-questions"),
    pytest.param("people", "session_participants", "person_id", id="person-in-a-session"),
    pytest.param("networks", "networks", "parent_id", id="parent-network"),
    pytest.param("rights", "rights", "parent_id", id="parent-right"),
]


@pytest.mark.parametrize(("parent", "child", "column"), RESTRICTED_DELETES)
def test_deleting_a_referenced_row_is_restricted(rows: Rows, parent: str, child: str, column: str) -> None:
    key = rows.insert(parent)
    rows.insert(child, **{column: key})
    db.session.commit()
    assert_rejected(_delete(parent, key), FOREIGN_KEY)


CASCADED_DELETES = [
    pytest.param("practices", "practice_sources", "practice_id", id="practice-sources"),
    pytest.param("sessions", "session_participants", "session_id", id="session-participants"),
]


@pytest.mark.parametrize(("parent", "child", "column"), CASCADED_DELETES)
def test_deleting_a_parent_cascades_to_its_children(rows: Rows, parent: str, child: str, column: str) -> None:
    key = rows.insert(parent)
    rows.insert(child, **{column: key})
    rows.insert(child, **{column: key})
    db.session.commit()
    db.session.execute(_delete(parent, key))
    db.session.commit()
    assert count(child) == 0


def test_deleting_a_token_keeps_its_revisions_without_it(rows: Rows) -> None:
    token = rows.insert("api_tokens")
    revision = rows.insert("revisions", token_id=token)
    db.session.commit()
    db.session.execute(_delete("api_tokens", token))
    db.session.commit()
    revisions = TABLES["revisions"]
    assert db.session.execute(select(revisions.c.token_id).where(revisions.c.id == revision)).one() == (None,)
