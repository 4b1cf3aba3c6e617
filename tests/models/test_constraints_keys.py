"""UNIQUE and FOREIGN KEY rules, and what deleting a referenced or owning row does.

The database is the last line of defence: whatever the Python validation lets through, every
CHECK, NOT NULL, UNIQUE and FOREIGN KEY rule of the migrated schema must still stop a bad row.
Rows go in through SQLAlchemy Core with every value given explicitly (``tests.models.rows``), so
neither the ORM's Python-side defaults nor any validator takes part. Each test starts from a valid
minimal row and changes one thing.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Executable, delete, func, insert, select

from registry.extensions import db
from tests.models.rows import (
    ASSOCIATIONS,
    FOREIGN_KEY,
    NO_ROW,
    TABLES,
    UNIQUE,
    Rows,
    assert_rejected,
    count,
    insert_bad,
)

# --- UNIQUE --------------------------------------------------------------------------------------

UNIQUE_CASES = [
    pytest.param("gcm_objectives", ("number",), id="gcm-objective-number"),
    pytest.param("gcm_principles", ("number",), id="gcm-principle-number"),
    pytest.param("sdg_targets", ("code",), id="sdg-target-code"),
    pytest.param("api_tokens", ("name",), id="token-name"),
    pytest.param("changes", ("position",), id="change-position"),
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
