"""Fixtures of the model tests: ``rows``, in an app context on the migrated, empty database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.models.rows import Rows


@pytest.fixture
def rows(app: Flask) -> Iterator[Rows]:
    with app.app_context():
        yield Rows()
