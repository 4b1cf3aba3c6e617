"""``flask --app registry tokens create|list|revoke``: the API tokens of network staff."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from registry.cli.common import require_migrated
from registry.extensions import db
from registry.services.tokens import create_token, list_tokens, revoke_token


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
    try:
        new = create_token(db.session, name, role, expires_in)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    expiry = f", expires {new.token.expires_at:%Y-%m-%d %H:%M} UTC" if new.token.expires_at else ""
    click.echo(f"Created {role} token {name!r} ({new.token.prefix}…{expiry}). Its secret, shown only now:", err=True)
    click.echo(new.secret)


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"


@tokens_group.command("list")
@with_appcontext
def tokens_list() -> None:
    """List tokens: prefix, name, role, created, last used, expiry, revoked."""
    require_migrated()
    rows = [("PREFIX", "NAME", "ROLE", "CREATED", "LAST USED", "EXPIRES", "REVOKED")]
    rows += [
        (t.prefix, t.name, t.role, _when(t.created_at), _when(t.last_used_at), _when(t.expires_at),
         _when(t.revoked_at))
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
    try:
        token = revoke_token(db.session, name_or_prefix)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Revoked token {token.name!r} ({token.prefix}…).")
