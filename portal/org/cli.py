"""flask units …"""

import click
from flask.cli import AppGroup

from portal.common.errors import DomainError
from portal.extensions import db
from portal.org.services import ensure_unit_path

units_cli = AppGroup("units", help="Organisation units.")


@units_cli.command("create")
@click.argument("path")
def create_units(path: str) -> None:
    """Create PATH, e.g. "Trust/PALS/North team" (idempotent: existing units are reused)."""
    try:
        unit = ensure_unit_path(path)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Unit {unit.id}: {path.strip().strip('/')}")
