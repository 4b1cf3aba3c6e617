"""Commands listed by name and help, and imported when they run (see ``registry.parts`` for why).

``flask --app registry --help`` lists the commands from ``registry.cli.COMMANDS``: a ``LazyCommand`` imports its
module, and adds to the app the parts it needs, only when it runs. An app that ``flask`` loads only to run or list
the app's own commands (``for_a_command``) starts bare, so ``db`` and ``openapi``, which Flask-Migrate and the API
bring, are listed and run the same way.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo

from registry import parts


def for_a_command() -> bool:
    """Whether ``flask`` is loading the app to run one of the app's own commands, or to list them (``--help``).

    Flask's command group loads the app in its own click context when it looks up a command that the app adds or
    lists the commands; its built-in ``run``, ``shell`` and ``routes`` load it in theirs, a WSGI server or a test
    outside of any.
    """
    context = click.get_current_context(silent=True)
    return context is not None and isinstance(context.command, FlaskGroup)


class LazyCommand(click.Command):
    """A command listed by its name and one-line help, whose real command is loaded only when it runs.

    Click starts running a command with ``make_context`` (parsing its arguments, ``--help`` included), which adds
    the ``needs`` parts to the app being run and hands over to the real command: the context, the parsing, the help
    and the invocation are all the real command's. The real command is ``target`` (``"package.module:name"``) or,
    without one, the command of this name that one of the parts has added to the app, in this one's place.
    """

    def __init__(self, name: str, short_help: str, needs: tuple[str, ...], target: str | None = None) -> None:
        super().__init__(name, help=short_help)
        self.needs = needs
        self.target = target

    def real(self, app: Flask) -> click.Command:
        parts.add(app, self.needs)
        command = parts.load(self.target) if self.target else app.cli.commands[self.name or ""]
        if isinstance(command, LazyCommand):
            raise RuntimeError(f"no part among {self.needs} added the {self.name!r} command")
        return command

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        return self.real(_running_app(parent)).make_context(info_name, args, parent=parent, **extra)


def _running_app(parent: click.Context | None) -> Flask:
    """The app the command runs in, found as ``with_appcontext`` finds it: the current one, or the ScriptInfo's."""
    if current_app:
        return current_app._get_current_object()  # type: ignore[attr-defined, no-any-return]
    return (parent or click.get_current_context()).ensure_object(ScriptInfo).load_app()
