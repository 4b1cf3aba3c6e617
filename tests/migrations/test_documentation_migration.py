"""Migration 0005: pending/documented becomes stub/complete without losing a row, a link or the search index."""

from __future__ import annotations

from typing import Any

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from registry.extensions import db
from registry.services.seeding import load_seeds, read_seeds
from tests.conftest import SEEDS_DIR, make_app
from tests.helpers import search

PIKINE = "pikine-droits-humains-des-migrants"
MADRID = "madrid-droits-humains-des-migrants"


def scalar(sql: str, **params: Any) -> Any:
    return db.session.execute(text(sql), params).scalar()


def counts() -> tuple[int, int, int]:
    return (scalar("SELECT count(*) FROM practices"), scalar("SELECT count(*) FROM practice_rights"),
            scalar("SELECT count(*) FROM practice_sources"))


def test_documentation_levels_migrate_both_ways_keeping_links_sources_and_search(fresh_database_url: Any) -> None:
    app = make_app(fresh_database_url)
    with app.app_context():
        upgrade()
        load_seeds(db.session, read_seeds(SEEDS_DIR))
        right = scalar("SELECT id FROM rights WHERE slug = 'housing'")
        for slug in (PIKINE, MADRID):
            db.session.execute(text("INSERT INTO practice_rights (practice_id, right_id) SELECT id, :right"
                                    " FROM practices WHERE slug = :slug"), {"right": right, "slug": slug})
        db.session.execute(text("UPDATE practices SET documentation = 'complete' WHERE slug = :slug"), {"slug": MADRID})
        db.session.commit()
        before = counts()
        assert before[1:] == (2, 6)
        db.session.remove()  # no open transaction of ours may hold the tables the downgrade drops or alters

        downgrade(revision="0004")
        db.session.remove()
        db.engine.dispose()
        levels = dict(db.session.execute(text("SELECT slug, documentation_status FROM practices")).all())
        assert levels[MADRID] == "documented" and levels[PIKINE] == "pending"
        assert set(levels.values()) == {"pending", "documented"}
        assert counts() == before
        db.session.remove()

        upgrade()
        db.session.remove()
        db.engine.dispose()
        levels = dict(db.session.execute(text("SELECT slug, documentation FROM practices")).all())
        assert levels[MADRID] == "complete" and levels[PIKINE] == "stub"
        assert counts() == before
        # The search triggers still fire on the table the migration changed.
        db.session.execute(text("UPDATE practices SET title = :title WHERE slug = :slug"),
                           {"title": '{"fr": "Zorblax migré"}', "slug": PIKINE})
        db.session.commit()
        assert search("zorblax") == [PIKINE]
        # And the new constraint holds: the old values are refused.
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE practices SET documentation = 'pending' WHERE slug = :slug"),
                               {"slug": PIKINE})
            db.session.flush()
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
