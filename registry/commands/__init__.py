"""Click commands of ``flask --app registry ...``, one module per concern, each with a ``register(app)``.

They parse arguments, call a domain function, report and commit: the work itself is in ``registry.domain``.
"""

from __future__ import annotations

import click
from flask import current_app


def require_migrated() -> None:
    """Refuse to work on a database whose schema is not at the newest migration."""
    from registry.domain.schema_state import schema_state

    state = schema_state(current_app.extensions["migrate"].directory)
    if not state.at_head:
        raise click.ClickException(
            f"The database is not migrated to head ({state.error or 'at ' + (', '.join(state.current) or 'nothing')}):"
            " run 'flask --app registry db upgrade' first."
        )
