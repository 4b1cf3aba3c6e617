"""The revision history travels in the JSON export: restored into a registry that has none, left out of one that
has its own; bad revisions are named by row and field, and nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Change, Network, Practice, Revision
from registry.models.base import as_utc
from registry.services import revisions, writes
from registry.services.networks import NETWORK
from registry.services.practices import PRACTICE
from registry.services.tokens import Actor
from tests.exchange_data import export, import_into, practice, rejected
from tests.factories import create_practice, write

ADMIN = Actor("synthetic-admin", "admin")
LIVED = "synthetic-lived-practice"
GONE = "synthetic-gone-network"


def add_lives(app: Flask) -> None:
    """A practice through every kind of revision, and a network deleted for good (synthetic test data)."""
    with app.app_context():
        lived = create_practice(slug=LIVED, status="draft")
        writes.update(db.session, PRACTICE, lived, {"summary": {"en": "Synthetic summary"}}, ADMIN)
        writes.transition(db.session, lived, "in_review", "Synthetic note: ready", ADMIN)
        writes.transition(db.session, lived, "published", None, ADMIN)
        writes.delete_practice(db.session, lived, ADMIN)
        writes.restore_practice(db.session, lived, ADMIN)
        gone = write(NETWORK, {"slug": GONE, "original_language": "en", "name": {"en": "Synthetic, gone"}})
        writes.remove(db.session, NETWORK, gone, ADMIN)
        db.session.commit()
        db.session.remove()


def histories(app: Flask) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The practice's history read by its id, and the deleted network's read by slug, as the API reads them."""
    with app.app_context():
        lived = db.session.scalar(select(Practice).where(Practice.slug == LIVED))
        by_id = revisions.of_practice(db.session, lived, 1, 100).items
        by_slug = revisions.of_slug(db.session, NETWORK, GONE, 1, 100).items
        found = tuple([(r.action, r.actor, r.note, r.changes) for r in items] for items in (by_id, by_slug))
        db.session.remove()
    return found


def test_a_history_is_restored_into_a_registry_without_one(seeded_app: Flask, empty_app: Flask) -> None:
    add_lives(seeded_app)
    lived, gone = histories(seeded_app)
    assert [action for action, *_ in lived] == ["restore", "delete", "status_change", "status_change", "update",
                                                "create"]
    assert [action for action, *_ in gone] == ["delete", "create"]
    first = export(seeded_app, "json")
    report = import_into(empty_app, first, "json")
    assert report.revisions["restored"] == len(json.loads(first)["revisions"]) and not report.revisions["left_out"]
    assert histories(empty_app) == (lived, gone)
    with empty_app.app_context():
        assert db.session.scalar(select(func.count()).where(Revision.actor == "test-import")) == 0
        assert db.session.scalar(select(Network.id).where(Network.slug == GONE)) is None
        assert set(db.session.scalars(select(Revision.entity_id).where(Revision.entity_slug == GONE))) == {0}
        assert db.session.scalar(select(func.count()).where(Revision.token_id.is_not(None))) == 0
        db.session.remove()
    assert export(empty_app, "json") == first


def test_a_registry_with_a_history_keeps_its_own(seeded_app: Flask) -> None:
    add_lives(seeded_app)
    content = json.loads(export(seeded_app, "json"))
    content["records"]["practices"].append(practice())
    report = import_into(seeded_app, json.dumps(content), "json")
    assert report.revisions == {"left_out": len(content["revisions"])}
    assert report.by_kind()["practices"]["created"] == 1
    with seeded_app.app_context():
        (created,) = db.session.scalars(select(Revision).where(Revision.entity_slug == "synthetic-imported"))
        assert (created.action, created.actor) == ("create", "test-import")  # the import's own revision
        db.session.remove()
    assert histories(seeded_app)[0][0][0] == "restore"  # nothing restored twice


def test_a_file_without_history_gets_the_imports_own(empty_app: Flask, seeded_app: Flask) -> None:
    content = json.loads(export(seeded_app, "json"))
    del content["revisions"]
    report = import_into(empty_app, json.dumps(content), "json")
    assert report.revisions == {}
    with empty_app.app_context():
        actors = set(db.session.scalars(select(Revision.actor)))
        db.session.remove()
    assert actors == {"test-import"}


REVISION = {"entity_type": "practice", "entity_slug": "synthetic-imported", "action": "create", "actor": "someone",
            "created_at": "2024-01-01T00:00:00+00:00", "changes": {}, "note": None}

BAD_REVISIONS = [
    pytest.param([{**REVISION, "entity_type": "token"}], ("revisions[0]", "entity_type", "Must be one of"),
                 id="unknown-kind"),
    pytest.param([{**REVISION, "action": "publish"}], ("revisions[0]", "action", "Must be one of"), id="action"),
    pytest.param([REVISION, {**REVISION, "created_at": "2024-01-01 00:00"}],
                 ("revisions[1]", "created_at", "Must be an ISO 8601 date and time with its offset"), id="naive"),
    pytest.param([{k: v for k, v in REVISION.items() if k != "actor"}],
                 ("revisions[0]", "actor", "Missing data for required field."), id="no-actor"),
    pytest.param([{**REVISION, "token_id": 3}], ("revisions[0]", "token_id", "Unknown field."), id="token"),
    pytest.param([{**REVISION, "changes": []}], ("revisions[0]", "changes", "Not a valid mapping type."),
                 id="changes"),
    pytest.param([{**REVISION, "note": "a\x00b"}], ("revisions[0]", "note", "Cannot hold a NUL character."), id="nul"),
    pytest.param(["a revision"], ("revisions[0]", "(revision)", "Must be an object of fields."), id="not-an-object"),
    pytest.param({}, ("-", "revisions", "Must be a list of revisions."), id="not-a-list"),
]


@pytest.mark.parametrize(("history", "expected"), BAD_REVISIONS)
def test_bad_revisions_are_named_and_nothing_is_written(
    empty_app: Flask, history: Any, expected: tuple[str, str, str]
) -> None:
    network = {"slug": "synthetic-network", "original_language": "en", "name": {"en": "Synthetic network"}}
    content = json.dumps({"format": "practice-registry", "version": 2,
                          "records": {"networks": [network]}, "revisions": history})
    [(row, field, message)] = rejected(empty_app, content, "json")
    assert (row, field) == expected[:2] and message.startswith(expected[2])


def test_restoring_still_records_an_update(empty_app: Flask) -> None:
    """A registry with records but no history (rows written without the write path) restores the file's history;
    a record of it that the import changes still gets the import's own revision."""
    with empty_app.app_context():
        db.session.add(Network(slug="synthetic-network", original_language="en", name={"en": "Synthetic, before"}))
        db.session.commit()
        db.session.remove()
    network = {"slug": "synthetic-network", "original_language": "en", "name": {"en": "Synthetic, after"}}
    content = json.dumps({"format": "practice-registry", "version": 2, "records": {"networks": [network]},
                          "revisions": [{**REVISION, "entity_type": "network", "entity_slug": "synthetic-network"}]})
    report = import_into(empty_app, content, "json")
    assert report.by_kind()["networks"]["updated"] == 1 and report.revisions == {"restored": 1}
    with empty_app.app_context():
        rows = db.session.execute(select(Revision.action, Revision.actor).order_by(Revision.id)).all()
        db.session.remove()
    assert [tuple(row) for row in rows] == [("update", "test-import"), ("create", "someone")]


def feed_events(app: Flask) -> list[tuple[Any, ...]]:
    """The changes feed as staff and the public read it: every event in cursor order."""
    with app.app_context():
        rows = db.session.scalars(select(Change).order_by(Change.position))
        events = [(c.kind, c.slug, c.event, c.public_event, c.version, as_utc(c.at)) for c in rows]
        assert all(c.position is not None for c in db.session.scalars(select(Change)))
        db.session.remove()
    return events


def test_a_restored_history_gives_a_mirror_the_same_changes_feed(seeded_app: Flask, empty_app: Flask) -> None:
    add_lives(seeded_app)
    import_into(empty_app, export(seeded_app, "json"), "json")
    restored = feed_events(empty_app)
    assert restored == feed_events(seeded_app)
    lived = [(event, public) for kind, slug, event, public, *_ in restored if slug == LIVED]
    assert lived[-4:] == [("updated", None), ("published", "published"), ("deleted", "deleted"),
                          ("restored", "restored")]
