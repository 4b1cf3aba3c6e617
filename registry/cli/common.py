"""What every command of ``flask --app registry ...`` shares: the migration check and the rejected-batch report."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, NoReturn

import click

from registry.config import MIGRATIONS_DIR
from registry.extensions import db
from registry.services.schema_state import schema_state


def require_migrated() -> None:
    """Refuse to work on a database whose schema is not at the newest migration."""
    state = schema_state(db.engine, MIGRATIONS_DIR)
    if not state.at_head:
        raise click.ClickException(
            f"The database is not migrated to head ({state.error or 'at ' + (', '.join(state.current) or 'nothing')}):"
            " run 'flask --app registry db upgrade' first."
        )


def reject(what: str, problems: Iterable[Any]) -> NoReturn:
    """Undo the batch and say why, one problem a line, then exit 1: a rejected batch writes nothing."""
    db.session.rollback()
    problems = list(problems)
    click.echo(f"{what} rejected, nothing written ({len(problems)} problem(s)):", err=True)
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    sys.exit(1)
