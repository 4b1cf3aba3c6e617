"""``flask --app registry seed [--check] [--dir DIR]``: the YAML seeds, through the write services."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from registry.cli.common import reject, require_migrated
from registry.extensions import db
from registry.services.seeding import SeedError, SeedReport, load_seeds, read_seeds


@click.command("seed")
@with_appcontext
@click.option("--check", is_flag=True, help="Validate the seeds against the database and write nothing.")
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of seed files (default: the repository's seeds/).",
)
def seed_command(check: bool, directory: Path | None) -> None:
    """Load the YAML seeds, in one transaction, through the write services. Idempotent."""
    require_migrated()
    directory = directory or Path(current_app.config["SEEDS_DIR"])
    try:
        records = read_seeds(directory)
        with click.progressbar(length=len(records), label="Seeding", file=sys.stderr) as bar:
            report = load_seeds(db.session, records, progress=bar.update)
    except SeedError as error:
        reject("Seeds", error.problems)
    except IntegrityError as error:
        db.session.rollback()
        click.echo(f"Seeds rejected by the database, nothing written: {error.orig}", err=True)
        sys.exit(1)

    created, updated, unchanged = (report.total(a) for a in ("created", "updated", "unchanged"))
    if check:
        db.session.rollback()
        click.echo(f"Seeds valid: would create {created}, would update {updated}, {unchanged} already up to date. "
                   "Nothing written (--check).")
        _report_kept(report)
        return
    db.session.commit()
    if report.changed:
        click.echo(f"Seeded: {created} created, {updated} updated, {unchanged} already up to date.")
    else:
        click.echo(f"Nothing to change: all {unchanged} seed records are already up to date.")
    _report_kept(report)


def _report_kept(report: SeedReport) -> None:
    """Name the records the seed left alone because someone changed them since it wrote them."""
    if report.kept:
        listed = ", ".join(f"{kind.replace('_', ' ')} {slug!r}" for kind, slug in report.kept)
        click.echo(f"Kept: {len(report.kept)} edited by staff, left as they are ({listed}).")
