"""Multilingual JSON and each table's CHECK rules, on insert and on update.

The database is the last line of defence: whatever the Python validation lets through, every
CHECK, NOT NULL, UNIQUE and FOREIGN KEY rule of the migrated schema must still stop a bad row.
Rows go in through SQLAlchemy Core with every value given explicitly (``tests.models.rows``), so
neither the ORM's Python-side defaults nor any validator takes part. Each test starts from a valid
minimal row and changes one thing.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from sqlalchemy import JSON, func, null, select, update

from registry.extensions import db
from tests.models.rows import (
    ML_COLUMNS,
    NOW,
    OPTIONAL_ML_COLUMNS,
    TABLES,
    Rows,
    assert_rejected,
    check_param,
    count,
    insert_bad,
)

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
    check_param("practices", "documentation_allowed", "documentation-unknown", documentation="unknown"),
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
    check_param("changes", "event_allowed", "event-purged", event="purged"),
    check_param("changes", "public_event_allowed", "public-event-hidden", public_event="hidden"),
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
    pytest.param("practices", {"status": "archived", "documentation": "complete"}, id="archived"),
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
