"""Migration 0007 makes the changes feed and fills it from the revision history: the events it derives
from the revisions of a registry are the ones the registry recorded as it wrote them."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from registry.extensions import db
from registry.models import Change, Practice
from registry.services import writes
from registry.services.practices import PRACTICE
from registry.services.rights import RIGHT
from registry.services.tokens import Actor
from tests.conftest import make_app
from tests.helpers import SYNTHETIC

ADMIN = Actor("synthetic-admin", "admin")


def _events() -> list[tuple]:
    rows = db.session.scalars(select(Change).order_by(Change.position))
    return [(c.position, c.kind, c.slug, c.event, c.public_event, c.version, c.at) for c in rows]


def _practice(slug: str) -> Practice:
    data = PRACTICE.schema().load({"slug": slug, "title": {"en": "Synthetic (test data)"}, "original_language": "en",
                                   "lead_local_government": "madrid", "provenance": SYNTHETIC})
    return writes.create(db.session, PRACTICE, data, ADMIN)


def _write_some_history() -> None:
    """A draft through its whole life, a published practice soft-deleted and restored, a right removed."""
    practice = _practice("synthetic-migrated")
    for to in ("in_review", "published", "archived"):
        writes.transition(db.session, practice, to, None, ADMIN)
    published = _practice("synthetic-migrated-published")
    for to in ("in_review", "published"):
        writes.transition(db.session, published, to, None, ADMIN)
    writes.delete_practice(db.session, published, ADMIN)
    writes.restore_practice(db.session, published, ADMIN)
    right = writes.create(db.session, RIGHT, RIGHT.schema().load(
        {"slug": "synthetic-migrated-right", "label": {"en": "Synthetic (test data)"}, "original_language": "en"}
    ), ADMIN)
    writes.remove(db.session, RIGHT, right, ADMIN)
    db.session.commit()


def test_the_feed_made_from_the_revisions_is_the_feed_recorded_live(seeded_database_url) -> None:
    app = make_app(seeded_database_url)
    with app.app_context():
        _write_some_history()
        live = _events()
        assert len(live) > 100 and all(position for position, *_ in live), "the seeds' events and ours, placed"
        db.session.remove()
        downgrade(revision="0006")
        assert "changes" not in inspect(db.engine).get_table_names()
        upgrade()
        rebuilt = _events()
        db.session.remove()
        db.engine.dispose()
    assert rebuilt == live
    publics = [(slug, public) for _, kind, slug, _, public, _, _ in live if kind == "practice"
               and slug.startswith("synthetic-migrated")]
    assert publics == [
        ("synthetic-migrated", None), ("synthetic-migrated", None), ("synthetic-migrated", "published"),
        ("synthetic-migrated", "archived"), ("synthetic-migrated-published", None),
        ("synthetic-migrated-published", None), ("synthetic-migrated-published", "published"),
        ("synthetic-migrated-published", "deleted"), ("synthetic-migrated-published", "restored"),
    ]
