"""Valid minimal rows of every table, inserted with Core, and the checks the constraint tests share.

``Rows`` builds a row that passes every rule (``test_valid_minimal_row_is_accepted`` proves it); a test
overrides one value. A CHECK failure must name its constraint: SQLite says "CHECK constraint failed:
ck_...", PostgreSQL 'violates check constraint "ck_..."'.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Executable, func, insert, select
from sqlalchemy.exc import IntegrityError

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
#: Tables that name records by slug, one row per event (so with no unique slug): the format rule only.
EVENT_SLUG_TABLES = ["changes"]
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
            "documentation": "stub",
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

    def _practice_proposals(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {
            "practice_id": self._ref(o, "practice_id", "practices"),
            "base_version": 1,
            "changes": {"start_year": 2016},
            "base": {"start_year": None},
            "status": "pending",
            "proposed_by": "tester",
            "created_at": NOW,
        }

    def _changes(self, n: int, o: dict[str, Any]) -> dict[str, Any]:
        return {"position": n, "kind": "practice", "slug": f"practice-{n}", "event": "created", "at": NOW}

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
