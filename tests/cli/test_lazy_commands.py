"""``flask --app registry``: the app it loads for a command has only the parts that command needs.

``--help`` lists the commands without importing them or any part of the app; ``tokens list`` and ``seed --check``
import the database, not the API nor Flask-Migrate; ``db`` and ``openapi`` add their part when they run; built-in
commands (``routes``) get the whole app (``registry.parts``, ``registry.cli.lazy``). What a process imports is read
from ``python -X importtime`` in a process of its own: this one has imported everything long ago.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from flask.cli import cli as flask_command
from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from registry import create_app
from registry.cli import COMMANDS, PART_COMMANDS
from registry.config import MIGRATIONS_DIR
from registry.services.schema_state import schema_state
from tests.conftest import REPO, dispose

#: The parts no registry command but ``db`` and ``openapi`` needs, and what only ``import``/``export`` or ``seed`` use.
API_AND_MIGRATIONS = {"flask_smorest", "apispec", "flask_migrate", "registry.api", "registry.migrations"}
DATABASE = {"sqlalchemy", "flask_sqlalchemy", "alembic", "registry.models", "registry.extensions", "registry.services"}


def as_text(url: str | URL) -> str:
    return url.render_as_string(hide_password=False) if isinstance(url, URL) else url


def imported_by(args: list[str], database_url: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``flask --app registry *args`` in a new process: its result and the modules it imported."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url, "FLASK_SKIP_DOTENV": "1"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flask", "--app", "registry", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    modules = {
        line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    }
    return done, modules


def test_help_imports_no_part_of_the_app(tmp_path: Path) -> None:
    done, modules = imported_by(["--help"], f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    assert done.returncode == 0, done.stderr[-2000:]
    listed = {line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == {"db", "demo", "export", "import", "openapi", "routes", "run", "seed", "shell", "tokens"}
    assert "registry" in modules
    assert modules & (API_AND_MIGRATIONS | DATABASE | {"marshmallow", "registry.cli.seed"}) == set()


@pytest.mark.parametrize(
    ("args", "answer", "unused"),
    [
        (["tokens", "list"], "PREFIX", API_AND_MIGRATIONS | {"marshmallow", "registry.services.seeding"}),
        (["seed", "--check"], "Seeds valid", API_AND_MIGRATIONS | {"registry.services.exchange"}),
    ],
    ids=["tokens-list", "seed-check"],
)
def test_a_command_imports_the_database_but_not_the_api(
    migrated_database_url: str | URL, args: list[str], answer: str, unused: set[str]
) -> None:
    done, modules = imported_by(args, as_text(migrated_database_url))
    assert done.returncode == 0, done.stderr[-2000:]
    assert answer in done.stdout
    assert {"sqlalchemy", "registry.models"} <= modules
    assert modules & unused == set()


# --- the same, in this process: what the app loaded for a command holds ------------------------------------------


@contextmanager
def flask_cli(database_url: str | URL) -> Iterator[tuple[CliRunner, ScriptInfo]]:
    """Flask's own ``flask`` command group, to run as ``flask --app registry ...`` with ``info`` loading the app."""
    runner = CliRunner(env={
        "REGISTRY_DATABASE_URL": as_text(database_url),
        "FLASK_SKIP_DOTENV": "1",
        "FLASK_RUN_FROM_CLI": None,  # the flask command sets it; the runner restores what it was
    })
    info = ScriptInfo()
    try:
        yield runner, info
    finally:
        if info._loaded_app is not None and "sqlalchemy" in info._loaded_app.extensions:
            dispose(info._loaded_app)


def run(runner: CliRunner, info: ScriptInfo, *args: str) -> Result:
    return runner.invoke(flask_command, ["--app", "registry", *args], obj=info)


def rules(app: Flask) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules()}


def test_a_command_adds_only_the_database(migrated_database_url: str | URL) -> None:
    with flask_cli(migrated_database_url) as (runner, info):
        created = run(runner, info, "tokens", "create", "--name", "synthetic-lazy", "--role", "editor")
        assert created.exit_code == 0, created.output
        app = info.load_app()
        assert "sqlalchemy" in app.extensions and "migrate" not in app.extensions
        assert "/api/v1/practices" not in rules(app)
    with flask_cli(migrated_database_url) as (runner, info):
        listed = run(runner, info, "tokens", "list")
        assert listed.exit_code == 0, listed.output
        assert "synthetic-lazy" in listed.stdout


def test_db_upgrade_adds_flask_migrate_and_migrates(fresh_database_url: str | URL) -> None:
    done, modules = imported_by(["db", "upgrade"], as_text(fresh_database_url))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "flask_migrate" in modules and modules & {"flask_smorest", "registry.api"} == set()
    engine = create_engine(fresh_database_url)
    try:
        assert schema_state(engine, MIGRATIONS_DIR).at_head
    finally:
        engine.dispose()


def test_db_and_openapi_add_their_part_when_they_run(migrated_database_url: str | URL) -> None:
    with flask_cli(migrated_database_url) as (runner, info):
        helped = run(runner, info, "db", "--help")
        assert helped.exit_code == 0, helped.output
        assert "Perform database migrations." in helped.stdout and "upgrade" in helped.stdout
        assert "migrate" in info.load_app().extensions
    with flask_cli(migrated_database_url) as (runner, info):
        spec = run(runner, info, "openapi", "print", "--format=json")
        assert spec.exit_code == 0, spec.output
        assert json.loads(spec.stdout) == json.loads((REPO / "openapi" / "openapi.json").read_text(encoding="utf-8"))
        assert "sqlalchemy" not in info.load_app().extensions


def test_built_in_commands_get_the_whole_app(migrated_database_url: str | URL) -> None:
    with flask_cli(migrated_database_url) as (runner, info):
        result = run(runner, info, "routes")
        assert result.exit_code == 0, result.output
        assert "/api/v1/practices" in result.stdout
        assert {"sqlalchemy", "migrate"} <= set(info.load_app().extensions)


def test_each_listed_help_line_is_the_commands_own(tmp_path: Path) -> None:
    whole = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.sqlite3'}"})
    for listed in COMMANDS + PART_COMMANDS:
        command = listed.real(whole)
        assert command is not listed and command.name == listed.name
        for limit in (45, 60, 200):
            assert listed.get_short_help_str(limit) == command.get_short_help_str(limit), listed.name
