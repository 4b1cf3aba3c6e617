"""The Practice Registry: a public API of what local governments do for migrants' rights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from registry import cli, parts
from registry.cli.lazy import for_a_command
from registry.config import from_environment


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory: configuration from ``REGISTRY_*`` variables, or ``test_config``.

    The whole app (database, migrations, API, problem answers, commands), except when ``flask --app registry``
    loads it only to run one of its own commands or to list them: then each command adds the parts it needs when it
    runs (``registry.parts`` says why).
    """

    app = Flask(__name__, instance_relative_config=True)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep fields in the order written
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # UTF-8 text as it is: "São Paulo"
    app.config.from_mapping(from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if not for_a_command():
        parts.add(app, parts.PARTS)
    cli.register(app)
    return app
