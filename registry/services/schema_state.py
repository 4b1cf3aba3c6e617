"""Where the database schema stands against the migrations in the repository."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError


@dataclass(frozen=True)
class SchemaState:
    heads: tuple[str, ...]
    current: tuple[str, ...] = ()
    error: str | None = None

    @property
    def at_head(self) -> bool:
        return self.error is None and set(self.current) == set(self.heads)


@lru_cache(maxsize=4)
def _script_heads(directory: str) -> tuple[str, ...]:
    # The migration scripts ship with the code, so their heads never change while running.
    return tuple(ScriptDirectory(directory).get_heads())


def schema_state(engine: Engine, directory: str) -> SchemaState:
    """Where the database behind ``engine`` stands against the migrations in ``directory``."""
    heads = _script_heads(directory)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
    except SQLAlchemyError as error:
        return SchemaState(heads=heads, error=type(error).__name__)
    return SchemaState(heads=heads, current=tuple(current))
