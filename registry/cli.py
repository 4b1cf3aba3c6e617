"""Command-line interface: ``flask --app registry ...``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from registry.commands import exchange, reject, require_migrated
from registry.extensions import db


@click.command("seed")
@with_appcontext
@click.option("--check", is_flag=True, help="Validate the seeds against the database and write nothing.")
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of seed files (default: the repository's seeds/).",
)
def seed_command(check: bool, directory: Path | None) -> None:
    """Load the YAML seeds, in one transaction, through the write services. Idempotent."""
    from registry.services.seeding import SeedError, load_seeds, read_seeds

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
        verb = "would create"
        click.echo(f"Seeds valid: {verb} {created}, would update {updated}, {unchanged} already up to date. "
                   "Nothing written (--check).")
        return
    db.session.commit()
    if report.changed:
        click.echo(f"Seeded: {created} created, {updated} updated, {unchanged} already up to date.")
    else:
        click.echo(f"Nothing to change: all {unchanged} seed records are already up to date.")


@click.group("tokens")
def tokens_group() -> None:
    """Make, list and revoke API tokens for network staff."""


@tokens_group.command("create")
@click.option("--name", required=True, help="Who or what uses it, e.g. 'ana-uclg'. Shown in revision history.")
@click.option("--role", type=click.Choice(["editor", "admin"]), required=True)
@click.option("--expires-in", "expires_in", type=click.IntRange(min=1), help="Days until it expires (default: never).")
@with_appcontext
def tokens_create(name: str, role: str, expires_in: int | None) -> None:
    """Create a token and print its secret, once."""
    require_migrated()
    from registry.services.tokens import create_token

    try:
        new = create_token(db.session, name, role, expires_in)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    expiry = f", expires {new.token.expires_at:%Y-%m-%d %H:%M} UTC" if new.token.expires_at else ""
    click.echo(f"Created {role} token {name!r} ({new.token.prefix}…{expiry}). Its secret, shown only now:", err=True)
    click.echo(new.secret)


@tokens_group.command("list")
@with_appcontext
def tokens_list() -> None:
    """List tokens: prefix, name, role, created, last used, expiry, revoked."""
    require_migrated()
    from registry.services.tokens import list_tokens

    def when(moment) -> str:  # noqa: ANN001
        return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"

    rows = [("PREFIX", "NAME", "ROLE", "CREATED", "LAST USED", "EXPIRES", "REVOKED")]
    rows += [
        (t.prefix, t.name, t.role, when(t.created_at), when(t.last_used_at), when(t.expires_at), when(t.revoked_at))
        for t in list_tokens(db.session)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@tokens_group.command("revoke")
@click.argument("name_or_prefix")
@with_appcontext
def tokens_revoke(name_or_prefix: str) -> None:
    """Revoke a token, by name or prefix. It answers 401 from then on."""
    require_migrated()
    from registry.services.tokens import revoke_token

    try:
        token = revoke_token(db.session, name_or_prefix)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Revoked token {token.name!r} ({token.prefix}…).")


def register(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(tokens_group)
    exchange.register(app)
