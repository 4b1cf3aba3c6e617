"""Configuration read from ``REGISTRY_*`` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PREFIX = "REGISTRY_"

#: MiB of whole answers each process keeps unless ``REGISTRY_ANSWER_CACHE_MB`` says otherwise
#: (``registry.api.remembered``): about a hundred list pages of 50.
DEFAULT_ANSWER_CACHE_MB = 16

#: The alembic migrations, the only author of the schema (``migrations/`` beside the package).
MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def from_environment(instance_path: str) -> dict[str, Any]:
    """Build the Flask config mapping from the environment.

    ``REGISTRY_DATABASE_URL`` defaults to a SQLite file in the instance folder, so a fresh
    clone works with no settings at all.
    """
    default_db = "sqlite:///" + str(Path(instance_path) / "registry.sqlite3")
    database_url = os.environ.get(PREFIX + "DATABASE_URL", default_db)
    config: dict[str, Any] = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "SEEDS_DIR": os.environ.get(
            PREFIX + "SEEDS_DIR", str(Path(__file__).resolve().parent.parent / "seeds")
        ),
        # Werkzeug answers 413 past this many bytes of request body.
        "MAX_CONTENT_LENGTH": int(os.environ.get(PREFIX + "MAX_BODY_BYTES", 1_048_576)),
        # Whole answers of the busiest reads kept per process until the data changes; 0 keeps none.
        "ANSWER_CACHE_BYTES": int(os.environ.get(PREFIX + "ANSWER_CACHE_MB", DEFAULT_ANSWER_CACHE_MB)) * 1024 * 1024,
        "CORS_WRITE_ORIGINS": [
            origin.strip() for origin in os.environ.get(PREFIX + "CORS_WRITE_ORIGINS", "").split(",") if origin.strip()
        ],
    }
    return config


def engine_options(database_url: str) -> dict[str, Any]:
    """SQLAlchemy engine options. A server database gets a connection pool per process (per gunicorn
    worker): ``REGISTRY_DB_POOL_SIZE`` connections kept (default 5) and ``REGISTRY_DB_MAX_OVERFLOW`` more
    under load (default 5); so a server must accept workers x (size + overflow) connections."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    if not database_url.startswith("sqlite"):
        options["pool_size"] = int(os.environ.get(PREFIX + "DB_POOL_SIZE", "5"))
        options["max_overflow"] = int(os.environ.get(PREFIX + "DB_MAX_OVERFLOW", "5"))
    return options
