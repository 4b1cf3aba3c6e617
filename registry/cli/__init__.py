"""Command-line interface: ``flask --app registry ...``, one module per concern.

``seed`` (seeds), ``demo`` (synthetic demo practices), ``tokens create|list|revoke`` (tokens), ``import`` and
``export`` (exchange); ``common`` holds what they share. The commands parse arguments, call a service
function, report and commit: the work itself is in ``registry.services``.
"""

from __future__ import annotations

from flask import Flask

from registry.cli.demo import demo_command
from registry.cli.exchange import export_command, import_command
from registry.cli.seed import seed_command
from registry.cli.tokens import tokens_group


def register(app: Flask) -> None:
    """Add every command to ``app``'s ``flask`` CLI (called by ``create_app``)."""
    for command in (seed_command, demo_command, tokens_group, import_command, export_command):
        app.cli.add_command(command)
