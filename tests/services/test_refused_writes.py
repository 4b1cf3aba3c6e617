"""What four bugs taught: a refused write leaves nothing behind in the caller's session, and times
and orders read alike on both engines. Each test failed before its fix (see CHANGELOG)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session as DbSession

from registry.models import Revision, Right
from registry.services import sessions, writes
from registry.services.errors import EditorialError, Stale
from registry.services.practices import practice_to_edit
from registry.services.rights import RIGHT
from registry.services.sessions import SESSION
from tests.factories import SessionInput
from tests.services.helpers import ADMIN, MISSING, SESSION_SLUG, T1, as_utc, clock, practice


def new_right(db: DbSession) -> Right:
    data = RIGHT.schema().load({"slug": "synthetic-right", "label": {"en": "Synthetic"}, "original_language": "en"})
    right = writes.create(db, RIGHT, data, ADMIN)
    db.flush()
    return right


def test_a_refused_update_leaves_the_record_as_it_was(db):
    """An unknown slug is found before any field is set, and the update runs in a SAVEPOINT: nothing of a
    refused update stays in the caller's session for its next query or commit to write."""
    right = new_right(db)
    with pytest.raises(EditorialError):
        writes.update(db, RIGHT, right, {"label": {"en": "Synthetic renamed"}, "parent": MISSING}, ADMIN)
    stored = db.execute(select(Right.label, Right.version).where(Right.slug == "synthetic-right")).one()
    assert tuple(stored) == ({"en": "Synthetic"}, 1)


def test_a_stale_remove_writes_no_delete_revision(db):
    """The delete revision is recorded only once the versioned DELETE removed the row: a ``Stale`` delete
    leaves no history of a delete that never happened."""
    right = new_right(db)
    db.execute(update(Right).where(Right.id == right.id).values(version=5).execution_options(synchronize_session=False))
    with pytest.raises(Stale):
        writes.remove(db, RIGHT, right, ADMIN)
    statement = select(Revision.action).where(Revision.entity_slug == "synthetic-right").order_by(Revision.id)
    actions = db.scalars(statement).all()
    assert actions == ["create"]


def test_a_restore_revision_keeps_the_deletion_time_as_the_delete_revision_wrote_it(db):
    """SQLite gives ``deleted_at`` back without its zone (PostgreSQL in the server's): the restore revision
    still writes it in UTC with its offset, as the delete revision did."""
    record = practice(db, slug="synthetic-practice")
    with clock(T1):
        writes.delete_practice(db, record, ADMIN)
    db.flush()
    db.expire_all()  # a restore is another request: it reads the practice back
    writes.restore_practice(db, practice_to_edit(db, "synthetic-practice", deleted=True), ADMIN)
    deleted, restored = db.scalars(select(Revision).where(Revision.entity_slug == "synthetic-practice",
                                                          Revision.action.in_(["delete", "restore"]))
                                   .order_by(Revision.id)).all()
    assert as_utc(datetime.fromisoformat(restored.changes["deleted_at"]["old"])) == T1
    assert restored.changes["deleted_at"]["old"] == deleted.changes["deleted_at"]["new"]


def test_undated_sessions_come_in_the_same_place_on_both_engines(db):
    """Sessions without a date come last on both engines (SQLite would put NULLs first, PostgreSQL last)."""
    undated = SESSION.schema().load(SessionInput(slug="synthetic-session-undated"))
    sessions.write_session(db, undated, actor="synthetic-test")
    listed = [s.slug for s in sessions.list_sessions(db, 1, 10).items]
    assert db.scalar(select(func.count()).select_from(sessions.Session)) == 2
    assert listed == [SESSION_SLUG, "synthetic-session-undated"]
