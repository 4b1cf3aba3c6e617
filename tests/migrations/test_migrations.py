"""Migrations build exactly the models' schema on each engine, and take it all down again."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, inspect

from registry.extensions import db
from registry.models.base import include_for_engine
from registry.models.practices import TITLE_INDEXES
from registry.services.search import SEARCH_TABLES, include_in_autogenerate
from tests.conftest import make_app


def _expected_checks(table, dialect: str) -> set[str]:
    """CHECK constraint names the model declares for this engine (rules may be per dialect)."""
    names = set()
    for constraint in table.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        condition = constraint._ddl_if
        if condition is not None and condition.dialect not in (None, dialect):
            continue
        names.add(constraint.name)
    return names


def _expression_index(difference: tuple) -> bool:
    return difference[0] in ("add_index", "remove_index") and difference[1].name in TITLE_INDEXES


def test_upgrade_head_yields_exactly_the_models_schema(fresh_database_url) -> None:
    app = make_app(fresh_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_name": include_in_autogenerate,
                "include_object": include_for_engine(connection.dialect.name),
            })
            with warnings.catch_warnings():
                # Neither engine's reflection gives the title sorts' expression indexes back as declared (SQLite
                # skips them and says so; PostgreSQL's loses COLLATE "C"): tests/models/test_list_indexes.py
                # proves that they exist and that the planners use them.
                warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index "
                                                  "ix_practices_listed_title")
                warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index "
                                                  "'ix_practices_listed_title")
                differences = compare_metadata(context, db.metadata)
            assert [d for d in differences if not _expression_index(d)] == []
            inspector = inspect(connection)
            dialect = connection.dialect.name
            for table in db.metadata.sorted_tables:  # model tables only: the search index has no model
                reflected = {c["name"] for c in inspector.get_check_constraints(table.name)}
                assert reflected == _expected_checks(table, dialect), table.name
        db.engine.dispose()


def test_downgrade_base_leaves_no_tables_of_ours_and_upgrades_again(fresh_database_url) -> None:
    app = make_app(fresh_database_url)
    ours = set(db.metadata.tables)
    with app.app_context():
        upgrade()
        assert ours | SEARCH_TABLES <= set(inspect(db.engine).get_table_names())
        downgrade(revision="base")
        db.engine.dispose()
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.engine.dispose()
        assert ours <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
