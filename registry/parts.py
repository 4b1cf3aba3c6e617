"""The parts of the app, named by import path and imported when they are added: why the CLI starts fast.

``flask --app registry <command>`` imports ``registry`` and builds the app before it runs any command, and
``--help`` does so only to list the commands. When every part was imported with the package, that took over a
second, mostly the HTTP API (flask-smorest, apispec, every marshmallow schema), Flask-Migrate (alembic) and the
models, although ``--help`` uses none of them and ``tokens list`` or ``seed --check`` only the database.

So ``create_app`` names its parts here, by import path, and a part's module is imported when the part is added:
the web server, ``flask run``, ``shell``, ``routes`` and the tests get the whole app (``PARTS``), and an app that
``flask`` loads only to run or list the registry's commands starts bare, each command adding the parts it needs
when it runs (``registry.cli.lazy``). ``load`` is the one place where the package imports inside a function.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from flask import Flask

DATABASE = "registry.extensions:init_database"
MIGRATIONS = "registry.migrations:init_migrations"
API = "registry.api:init_api"
PROBLEMS = "registry.problems:register_problem_handlers"

#: The whole app, in the order its parts are added: the problem handlers after the API, whose flask-smorest
#: handlers they replace.
PARTS = (DATABASE, MIGRATIONS, API, PROBLEMS)


def load(target: str) -> Any:
    """The object at ``"package.module:name"``, its module imported now."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def add(app: Flask, parts: Iterable[str]) -> None:
    """Add to ``app`` each of ``parts`` (in ``PARTS`` order) that it does not have yet."""
    added: list[str] = app.extensions.setdefault("registry_parts", [])
    for part in sorted(parts, key=PARTS.index):
        if part not in added:
            load(part)(app)
            added.append(part)
