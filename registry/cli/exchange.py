"""``flask --app registry import FILE`` and ``flask --app registry export``: the CLI over
``registry.services.exchange``.

The import runs in one transaction that this command commits only when every row passed; a rejected
import prints its row-level report on stderr and exits 1, having written nothing.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import click
from flask.cli import with_appcontext

from registry.cli.common import reject, require_migrated
from registry.extensions import db
from registry.services.exchange.csv_export import stream_csv
from registry.services.exchange.formats import FORMATS, Format
from registry.services.exchange.importing import read_import, write_import
from registry.services.exchange.json_export import stream_json
from registry.services.exchange.report import ImportRejected

ACTOR = "import"


def _guess_format(filename: str) -> Format:
    suffix = Path(filename).suffix.lower().removeprefix(".")
    if suffix not in FORMATS:
        raise click.UsageError(f"Cannot tell the format of {filename!r} from its name: give --format json or csv.")
    return suffix  # type: ignore[return-value]  # one of FORMATS


@click.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Validate and check against the database; write nothing.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="json or csv (default: from FILE's extension).")
@with_appcontext
def import_command(file: BinaryIO, dry_run: bool, fmt: Format | None) -> None:
    """Import FILE (JSON or CSV, as the export writes them), all or nothing, through the write services."""
    fmt = fmt or _guess_format(file.name)
    require_migrated()
    batch = read_import(file.read(), fmt=fmt)
    try:
        with click.progressbar(length=len(batch), label="Importing", file=sys.stderr) as bar:
            report = write_import(db.session, batch, actor=ACTOR, dry_run=dry_run, progress=bar.update)
    except ImportRejected as rejected:
        reject("Import", rejected.problems)

    created, updated, unchanged = (report.total(a) for a in ("created", "updated", "unchanged"))
    history = _history(report.revisions)
    if dry_run:
        db.session.rollback()
        click.echo(f"Import valid: would create {created}, would update {updated}, {unchanged} unchanged.{history} "
                   "Nothing written (--dry-run).")
        return
    db.session.commit()
    click.echo(f"Imported {report.rows} record(s) from {file.name}: "
               f"{created} created, {updated} updated, {unchanged} unchanged.{history}")


def _history(revisions: Mapping[str, int]) -> str:
    if revisions["restored"]:
        return f" History: {revisions['restored']} revision(s) restored."
    if revisions["left_out"]:
        return f" History: {revisions['left_out']} revision(s) left out (this registry keeps its own)."
    return ""


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="json: the whole registry and its revision history; csv: the practices, one row each.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="File to write (default: standard output).")
@with_appcontext
def export_command(fmt: Format, output: Path | None) -> None:
    """Write the whole registry (CC BY 4.0 content), as an import reads it back.

    Every record carries its stamps (created_at, updated_at, version; a practice's published_at and deleted_at:
    deleted practices are exported too); the JSON also carries the revision history. API tokens never.
    """
    require_migrated()
    _one_snapshot()
    chunks = stream_json(db.session) if fmt == "json" else stream_csv(db.session)
    try:  # each chunk written as soon as it is made: the export never holds more than a batch of records
        if output is None:
            for chunk in chunks:  # bytes: click writes them as they are (no line-end translation, no ANSI stripping)
                click.echo(chunk.encode("utf-8"), nl=False)
            return
        created = not output.exists()
        try:
            with output.open("wb") as target:
                for chunk in chunks:
                    target.write(chunk.encode("utf-8"))
        except BaseException:
            if created:  # no half export left behind in a file of its own
                output.unlink(missing_ok=True)
            raise
    finally:
        chunks.close()
        db.session.rollback()
    click.echo(f"Exported the registry as {fmt} to {output}.", err=True)


def _one_snapshot() -> None:
    """Make every query of the export read the same state of the database: an export consistent in itself,
    written while others write. PostgreSQL: a REPEATABLE READ transaction (only its first statement may ask).
    SQLite: a transaction opened now (pysqlite opens none for reads), whose first read fixes what all read."""
    if db.engine.dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return
    connection = db.session.connection()
    dbapi = connection.connection.dbapi_connection
    if isinstance(dbapi, sqlite3.Connection) and not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN")
