"""flask users …"""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.auth.importing import Action, ImportPlan, apply_import, decode_csv_file, plan_import
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


def import_report(plan: ImportPlan) -> list[str]:
    """The dry-run report, one line per row (its errors indented beneath), then what else will happen."""
    lines = [f"File: {error}" for error in plan.file_errors]
    for row in plan.rows:
        who = f"{row.name or '(no name)'} <{row.email or 'no email'}>"
        changes = "; ".join(f"{c.field.replace('_', ' ')} {c.old or '(none)'} -> {c.new or '(none)'}"
                            for c in row.changes)
        action = row.action.value if row.action else ""
        lines.append(f"Row {row.number}: {who}: {action}" + (f" ({changes})" if changes else ""))
        lines.extend(f"    ERROR: {error}" for error in row.errors)
    if plan.new_units:
        lines.append("Units that will be created: " + ", ".join(plan.new_units.values()))
    if plan.admins_kept:
        lines.append("Imports never remove the administrator role. These people keep it: "
                     + ", ".join(row.email for row in plan.admins_kept))
    if plan.ignored_columns:
        lines.append("Columns not used: " + ", ".join(plan.ignored_columns))
    if not plan.file_errors:
        lines.append(f"{plan.count(Action.CREATE)} to create, {plan.count(Action.UPDATE)} to update, "
                     f"{plan.count(Action.UNCHANGED)} unchanged, {plan.with_errors} with errors.")
    return lines


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; change nothing.")
def import_users_command(file: Path, dry_run: bool) -> None:
    """Add and update people from an HR CSV file (columns: staff_number, email, name, unit, manager_email, roles
    and optionally job_title). Exits with status 1, changing nothing, if any row has an error."""
    try:
        plan = plan_import(text=decode_csv_file(file.read_bytes()))
    except DomainError as error:
        raise click.ClickException(error.message) from error
    for line in import_report(plan):
        click.echo(line)
    if plan.has_errors:
        click.echo("Fix the errors in your file and run this again. Nothing has been changed.", err=True)
        raise click.exceptions.Exit(1)
    if dry_run:
        click.echo("Dry run: nothing has been changed.")
        return
    result = apply_import(plan=plan, actor=None)
    db.session.commit()
    click.echo(f"Imported: {result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
               f"{result.units_created} units created.")
