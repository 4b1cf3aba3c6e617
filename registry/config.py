"""Configuration read from ``REGISTRY_*`` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PREFIX = "REGISTRY_"

#: The alembic migrations, the only author of the schema (``migrations/`` beside the package).
MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def from_environment(instance_path: str) -> dict[str, Any]:
    """Build the Flask config mapping from the environment.

    ``REGISTRY_DATABASE_URL`` defaults to a SQLite file in the instance folder, so a fresh
    clone works with no settings at all.
    """
    default_db = "sqlite:///" + str(Path(instance_path) / "registry.sqlite3")
    config: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": os.environ.get(PREFIX + "DATABASE_URL", default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SEEDS_DIR": os.environ.get(
            PREFIX + "SEEDS_DIR", str(Path(__file__).resolve().parent.parent / "seeds")
        ),
        # Werkzeug answers 413 past this many bytes of request body.
        "MAX_CONTENT_LENGTH": int(os.environ.get(PREFIX + "MAX_BODY_BYTES", 1_048_576)),
        "CORS_WRITE_ORIGINS": [
            origin.strip() for origin in os.environ.get(PREFIX + "CORS_WRITE_ORIGINS", "").split(",") if origin.strip()
        ],
    }
    return config
