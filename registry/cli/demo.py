"""``flask --app registry demo --count N [--force]``: synthetic practices to try the registry on."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from registry.cli.common import require_migrated
from registry.extensions import db
from registry.services.demo import DemoRefused, load_demo


@click.command("demo")
@with_appcontext
@click.option("--count", type=click.IntRange(min=1, max=1_000_000), default=200, show_default=True,
              help="How many synthetic practices the registry should hold (demo practices 1 to N).")
@click.option("--force", is_flag=True, help="Add them even to a registry that holds real practices.")
@click.option("--bulk", is_flag=True, help="Write the missing ones by the bulk load path (same rows, much faster;"
              " demo practices already there are left as they are).")
def demo_command(count: int, force: bool, bulk: bool) -> None:
    """Load N clearly synthetic, published practices, so that search, filters and facets have content.

    Each says it is synthetic in its title and provenance; the same N gives the same practices, so running
    it again changes nothing. Refused on a registry holding practices that people or imports wrote.
    """
    require_migrated()
    try:
        report = load_demo(db.session, count, force=force, bulk=bulk)
    except DemoRefused as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Demo: {report.created} synthetic practices created, {report.updated} updated,"
               f" {report.unchanged} already there. Each says it is synthetic in its title and provenance.")
