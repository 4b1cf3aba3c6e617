"""Command-line interface: ``flask --app registry ...``, one module per concern.

``seed`` (seeds), ``demo`` (synthetic demo practices), ``tokens create|list|revoke`` (tokens), ``import`` and
``export`` (exchange); ``common`` holds what they share. The commands parse arguments, call a service
function, report and commit: the work itself is in ``registry.services``.

``flask --help`` lists the commands from ``COMMANDS``; a command's module is imported, and the parts of the app it
needs are added, only when it runs (``lazy``; ``registry.parts`` says why). A test checks that each help line here
is the command's own.
"""

from __future__ import annotations

from flask import Flask

from registry.cli.lazy import LazyCommand
from registry.parts import API, DATABASE, MIGRATIONS

#: The registry's commands: name, the help line ``flask --help`` shows (the command's docstring), where it is.
COMMANDS = (
    LazyCommand("seed", "Load the YAML seeds, in one transaction, through the write services. Idempotent.",
                (DATABASE,), "registry.cli.seed:seed_command"),
    LazyCommand("demo", "Load N clearly synthetic, published practices, so that search, filters and facets have "
                "content.", (DATABASE,), "registry.cli.demo:demo_command"),
    LazyCommand("tokens", "Make, list and revoke API tokens for network staff.",
                (DATABASE,), "registry.cli.tokens:tokens_group"),
    LazyCommand("import", "Import FILE (JSON or CSV, as the export writes them), all or nothing, through the write "
                "services.", (DATABASE,), "registry.cli.exchange:import_command"),
    LazyCommand("export", "Write the whole registry (CC BY 4.0 content), as an import reads it back.",
                (DATABASE,), "registry.cli.exchange:export_command"),
)

#: The commands that parts of the app bring (Flask-Migrate's ``db``, flask-smorest's ``openapi``), with their own
#: help line, for an app that does not have those parts yet.
PART_COMMANDS = (
    LazyCommand("db", "Perform database migrations.", (DATABASE, MIGRATIONS)),
    LazyCommand("openapi", "OpenAPI commands.", (API,)),
)


def register(app: Flask) -> None:
    """Add the commands to ``app``'s ``flask`` CLI (called by ``create_app``, after the app's parts)."""
    for command in COMMANDS + PART_COMMANDS:
        if command.name not in app.cli.commands:
            app.cli.add_command(command)
