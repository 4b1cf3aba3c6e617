"""The search index migration: it backfills the index, and its downgrade leaves practices writable."""

from __future__ import annotations

from typing import Any

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from registry.extensions import db
from registry.models import Practice
from registry.services.seeding import load_seeds, read_seeds
from tests.conftest import SEEDS_DIR, make_app
from tests.helpers import search


def test_migration_backfills_and_downgrade_leaves_practices_writable(fresh_database_url: Any) -> None:
    app = make_app(fresh_database_url)
    practices = Practice.__table__
    with app.app_context():
        upgrade()
        load_seeds(db.session, read_seeds(SEEDS_DIR))
        db.session.commit()
        db.session.remove()
        downgrade(revision="0001")
        db.engine.dispose()
        assert not {name for name in inspect(db.engine).get_table_names() if name.startswith("practice_search")}
        # No trigger is left pointing at a dropped table: practices stay writable (Core: the models are at head).
        db.session.execute(
            practices.update().where(practices.c.slug == "upala-droits-humains-des-migrants")
            .values(title={"fr": "Sans index", "en": "Unindexed"})
        )
        db.session.commit()
        db.session.remove()
        upgrade()  # 0002 backfills the index from the rows already there
        db.engine.dispose()
        assert search("unindexed") == ["upala-droits-humains-des-migrants"]
        assert search("madrid") == ["madrid-droits-humains-des-migrants"]
        db.session.remove()
        db.engine.dispose()
