"""flask users …"""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.auth.directory import DirectoryUnavailable
from portal.auth.directory_sync import SyncPlan, apply_sync, plan_sync
from portal.auth.importing import Action, ImportPlan, ImportRow, apply_import, decode_csv_file, plan_import
from portal.auth.invitations import send_invitation
from portal.auth.services import PersonDetails, create_user
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.db import serialized_writes
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
@click.option("--invite", is_flag=True, help="Email them an invitation to choose their own password.")
def create_user_command(email, name, unit_path, roles, job_title, staff_number, password_stdin, invite) -> None:
    """Add a person. Without --password-stdin or --invite they cannot sign in with a password of Frontline's own
    until they use "Forgotten your password?" (or sign in with the directory, where there is one)."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        unit = ensure_unit_path(unit_path)
        details = PersonDetails(email=email, display_name=name, unit=unit, job_title=job_title,
                                staff_number=staff_number, roles=[Role(r) for r in roles] or [Role.STAFF])
        user = create_user(details=details, password=password, actor=None)
        if invite:
            send_invitation(user=user, actor=None)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(sorted(r.value for r in user.roles))}) in {unit_path.strip('/')}")


def _row_lines(rows: list[ImportRow], label: str) -> list[str]:
    lines = []
    for row in rows:
        who = f"{row.name or '(no name)'} <{row.email or 'no email'}>"
        changes = "; ".join(f"{c.field.replace('_', ' ')} {c.old or '(none)'} -> {c.new or '(none)'}"
                            for c in row.changes)
        action = row.action.value if row.action else ""
        lines.append(f"{label} {row.number}: {who}: {action}" + (f" ({changes})" if changes else ""))
        lines.extend(f"    ERROR: {error}" for error in row.errors)
    return lines


def import_report(plan: ImportPlan) -> list[str]:
    """The dry-run report, one line per row (its errors indented beneath), then what else will happen."""
    lines = [f"File: {error}" for error in plan.file_errors]
    lines.extend(_row_lines(plan.rows, "Row"))
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
@click.option("--invite", is_flag=True, help="Email each new person an invitation to choose their password.")
@click.option("--create-units", is_flag=True,
              help="Create the units the file names that do not exist yet (without it, such a row is an error, so a "
                   "typo never becomes a new unit).")
def import_users_command(file: Path, dry_run: bool, invite: bool, create_units: bool) -> None:
    """Add and update people from an HR CSV file (columns: staff_number, email, name, unit, manager_email, roles
    and optionally job_title). Exits with status 1, changing nothing, if any row has an error."""
    try:
        plan = plan_import(text=decode_csv_file(file.read_bytes()), create_units=create_units)
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
    result = apply_import(plan=plan, actor=None, invite=invite)
    db.session.commit()
    click.echo(f"Imported: {result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
               f"{result.units_created} units created." + (f" {result.invited} invited." if invite else ""))


def sync_report(sync: SyncPlan) -> list[str]:
    """The same report as an import's, one line per directory entry (numbered in email order), then the accounts
    to deactivate."""
    plan = sync.plan
    lines = _row_lines(sorted([*plan.rows, *sync.skipped], key=lambda row: row.number), "Entry")
    lines.extend(f"Account: {user.display_name} <{user.email}>: deactivate (gone from, or disabled in, the directory)"
                 for user in sync.deactivate)
    lines.extend(f"Account: {user.display_name} <{user.email}>: deactivated in Frontline but enabled in the "
                 "directory; reactivate it on their page if they should sign in" for user in sync.inactive_but_listed)
    if plan.new_units:
        lines.append("Units that will be created: " + ", ".join(plan.new_units.values()))
    lines.append(f"{plan.count(Action.CREATE)} to create, {plan.count(Action.UPDATE)} to update, "
                 f"{plan.count(Action.UNCHANGED)} unchanged, {len(sync.deactivate)} to deactivate, "
                 f"{len(sync.skipped)} with errors (skipped).")
    if sync.is_mass_deactivation:
        lines.append(f"WARNING: {len(sync.deactivate)} of the {sync.linked_active} accounts linked to the directory "
                     "would be deactivated. Check LDAP_BASE_DN and LDAP_USER_FILTER; use --force if it is right.")
    return lines


@users_cli.command("sync-ldap")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--force", is_flag=True, help="Deactivate even when more than half of the linked accounts would be.")
def sync_ldap_command(dry_run: bool, force: bool) -> None:
    """Create, update and deactivate people, and set their line managers, from the directory (LDAP_ settings).
    Entries with errors are skipped and reported; the exit status is then 1. Run it from cron, say nightly."""
    with serialized_writes():
        try:
            sync = plan_sync()
            for line in sync_report(sync):
                click.echo(line)
            if dry_run:
                click.echo("Dry run: nothing has been changed.")
                return
            result = apply_sync(sync, force=force)
        except DirectoryUnavailable as error:
            raise click.ClickException(f"{error.message} ({error.detail})") from error
        except DomainError as error:  # raised before anything is written
            raise click.ClickException(error.message) from error
        db.session.commit()
    imported = result.imported
    click.echo(f"Synced: {imported.created if imported else 0} created, {imported.updated if imported else 0} "
               f"updated, {imported.unchanged if imported else 0} unchanged, {result.deactivated} deactivated, "
               f"{imported.units_created if imported else 0} units created.")
    if sync.skipped:
        click.echo(f"{len(sync.skipped)} directory entries were skipped because of the errors above.", err=True)
        raise click.exceptions.Exit(1)
