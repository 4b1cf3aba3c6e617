"""Flask-Migrate (alembic) on the repository's ``migrations/``: ``flask --app registry db ...``.

Not in ``registry.extensions``: importing Flask-Migrate imports alembic, which the registry's own commands and
``--help`` do without (see ``registry.parts``).
"""

from __future__ import annotations

from flask import Flask
from flask_migrate import Migrate

from registry import models  # noqa: F401  (models registers the tables: autogenerate compares them with the database)
from registry.config import MIGRATIONS_DIR
from registry.extensions import db

migrate = Migrate(render_as_batch=True, compare_type=True)


def init_migrations(app: Flask) -> None:
    """Bind Flask-Migrate to ``app`` (after ``db``): ``app.extensions["migrate"]`` and the ``db`` command group."""
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
