"""``flask --app registry import`` and ``export``: files, streams, dry runs and the row-level report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.engine import URL

from registry.cli.exchange import export_command, import_command
from registry.extensions import db
from registry.services.exchange import csv_export
from tests.conftest import dispose, make_app
from tests.exchange_data import csv_row, csv_text, export
from tests.factories import create_practice
from tests.helpers import dump

# --- the CLI ------------------------------------------------------------------------------------------------------

def test_cli_export_to_stdout_and_to_a_file(rich_app: Flask, tmp_path: Path) -> None:
    runner = rich_app.test_cli_runner()
    result = runner.invoke(export_command, [])
    assert result.exit_code == 0, result.output
    assert result.stdout == export(rich_app, "json")
    target = tmp_path / "practices.csv"
    result = runner.invoke(export_command, ["--format", "csv", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == export(rich_app, "csv").encode()
    assert str(target) in result.stderr


def test_cli_export_reads_one_state_of_the_registry(rich_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """A practice written while the export runs (after its header, before its rows) is not in it: every query of
    the export reads the same snapshot, so that the rows always fit the header."""
    real = csv_export.record_batches

    def written_meanwhile(*args: Any, **kwargs: Any) -> Iterator[list[dict[str, Any]]]:
        other = make_app(rich_app.config["SQLALCHEMY_DATABASE_URI"])
        with other.app_context():
            create_practice(slug="synthetic-written-meanwhile", original_language="it", title={"it": "Sintetica"})
            db.session.commit()
        dispose(other)
        yield from real(*args, **kwargs)

    monkeypatch.setattr(csv_export, "record_batches", written_meanwhile)
    result = rich_app.test_cli_runner().invoke(export_command, ["--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "synthetic-written-meanwhile" not in result.stdout and "title.it" not in result.stdout
    monkeypatch.undo()
    assert "synthetic-written-meanwhile" in export(rich_app, "csv")  # it was written, and the next export has it


def test_cli_export_that_fails_half_way_leaves_no_file(empty_app: Flask, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: Any, **kwargs: Any) -> Iterator[str]:
        yield "{\n"
        raise RuntimeError("synthetic failure half-way")

    monkeypatch.setattr("registry.cli.exchange.stream_json", failing)
    target = tmp_path / "registry.json"
    result = empty_app.test_cli_runner().invoke(export_command, ["--output", str(target)])
    assert result.exit_code == 1 and str(result.exception) == "synthetic failure half-way"
    assert not target.exists()


def test_cli_import_then_export_is_identical(rich_app: Flask, empty_app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "registry.json"
    assert rich_app.test_cli_runner().invoke(export_command, ["--output", str(source)]).exit_code == 0
    runner = empty_app.test_cli_runner()
    result = runner.invoke(import_command, [str(source)])
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr
    assert f"Imported 115 record(s) from {source}: 124 created, 0 updated, 0 unchanged. History: " in result.stdout
    assert "revision(s) restored." in result.stdout
    assert runner.invoke(export_command, []).stdout == source.read_text(encoding="utf-8")


def test_cli_dry_run(rich_app: Flask, empty_app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "registry.txt"
    source.write_text(export(rich_app, "json"), encoding="utf-8")
    before = dump(empty_app)
    result = empty_app.test_cli_runner().invoke(import_command, ["--dry-run", "--format", "json", str(source)])
    assert result.exit_code == 0, result.output
    assert "would create 124" in result.stdout and "Nothing written (--dry-run)" in result.stdout
    assert dump(empty_app) == before


def test_cli_rejects_with_the_row_level_report(seeded_app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(csv_text(csv_row(), csv_row("synthetic-bad", lead_local_government="atlantis")), encoding="utf-8")
    before = dump(seeded_app)
    result = seeded_app.test_cli_runner().invoke(import_command, [str(source)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-2:] == [
        "Import rejected, nothing written (1 problem(s)):",
        "  row 4 (slug 'synthetic-bad'): lead_local_government: Unknown slug: 'atlantis'.",
    ]
    assert dump(seeded_app) == before


def test_cli_needs_a_format_it_can_tell(seeded_app: Flask, tmp_path: Path) -> None:
    source = tmp_path / "registry.txt"
    source.write_text("{}", encoding="utf-8")
    result = seeded_app.test_cli_runner().invoke(import_command, [str(source)])
    assert result.exit_code == 2 and "give --format json or csv" in result.stderr


def test_cli_refuses_an_unmigrated_database(fresh_database_url: str | URL, tmp_path: Path) -> None:
    source = tmp_path / "registry.json"
    source.write_text("{}", encoding="utf-8")
    app = make_app(fresh_database_url)
    for command, args in ((import_command, [str(source)]), (export_command, [])):
        result = app.test_cli_runner().invoke(command, args)
        assert result.exit_code == 1 and "db upgrade" in result.stderr
    with app.app_context():
        db.engine.dispose()
