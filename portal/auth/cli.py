"""flask users …"""

import sys

import click
from flask.cli import AppGroup

from portal.auth.services import PersonDetails, create_user
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.extensions import db
from portal.org.services import ensure_unit_path

users_cli = AppGroup("users", help="People who sign in.")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name as colleagues know it.")
@click.option("--unit", "unit_path", required=True, help='Unit path, e.g. "Trust/PALS/North team" (created if new).')
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]), help="Repeatable.")
@click.option("--job-title", default="", help="Job title.")
@click.option("--staff-number", default=None, help="HR staff number.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email, name, unit_path, roles, job_title, staff_number, password_stdin) -> None:
    """Add a person. Without --password-stdin they cannot sign in until an administrator sets a password."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        unit = ensure_unit_path(unit_path)
        details = PersonDetails(email=email, display_name=name, unit=unit, job_title=job_title,
                                staff_number=staff_number, roles=[Role(r) for r in roles] or [Role.STAFF])
        user = create_user(details=details, password=password, actor=None)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(sorted(r.value for r in user.roles))}) in {unit_path.strip('/')}")
