"""Fixtures of the CLI tests: registries of their own for ``export``.

``flask --app registry export`` asks PostgreSQL for a REPEATABLE READ snapshot of its own, which only the
first statement of a transaction may do: it cannot join a test's transaction, so the registries it reads
are databases of their own (the other commands run on the shared, rolled-back ones: ``app``, ``seeded_app``).
"""

from __future__ import annotations

import pytest
from flask import Flask

from registry.extensions import db
from tests.exchange_data import add_synthetic_records


@pytest.fixture
def rich_app(own_seeded_app: Flask) -> Flask:
    """A seeded database of its own plus ``add_synthetic_records`` (committed)."""
    with own_seeded_app.app_context():
        add_synthetic_records()
        db.session.remove()
    return own_seeded_app


@pytest.fixture
def empty_app(own_app: Flask) -> Flask:
    """A migrated, empty database of its own."""
    return own_app
