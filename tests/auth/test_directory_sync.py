"""``flask users sync-ldap``: creating, updating and deactivating people and setting line managers from a real
slapd, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.auth.cli import sync_report
from portal.auth.directory_sync import apply_sync, plan_sync
from portal.auth.importing import Action
from portal.auth.models import User
from portal.common.audit import AuditEvent
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.extensions import db
from tests.auth.conftest import directory_settings
from tests.factories import UserFactory
from tests.ldap_server import free_port

pytestmark = pytest.mark.usefixtures("app_ctx")


def person(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def sync(**kwargs):
    return apply_sync(plan_sync(), **kwargs)


@pytest.fixture
def run_sync(app):
    """``run_sync("--dry-run")`` runs the real command (its own session; the test's transaction is its database)."""

    def run(*args: str):
        return app.test_cli_runner().invoke(args=["users", "sync-ldap", *args])

    return run


def test_the_first_sync_creates_everyone_enabled_with_managers_units_and_roles(directory):
    result = sync()
    assert (result.imported.created, result.deactivated) == (3, 0)
    amira, tom = person("amira.haddad@example.nhs.uk"), person("tom.okafor@example.nhs.uk")
    siobhan = person("siobhan.kelly@example.nhs.uk")
    assert person("leon.left@example.nhs.uk") is None  # disabled in the directory
    assert tom.manager == amira and siobhan.manager == amira and amira.manager is None
    assert amira.roles == {Role.STAFF, Role.ADMIN} and tom.roles == {Role.STAFF, Role.CHAMPION}
    assert (tom.unit.name, siobhan.unit.name) == ("PALS", "Complaints")
    assert all(p.directory_id and p.password_hash is None for p in (amira, tom, siobhan))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.directory_synced"))
    assert event.details["created"] == 3 and event.actor_id is None


def test_a_second_sync_changes_nothing_and_writes_no_audit(directory):
    sync()
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    plan = plan_sync()
    assert (plan.count(Action.UNCHANGED), plan.count(Action.CREATE), plan.count(Action.UPDATE)) == (3, 0, 0)
    apply_sync(plan)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_updates_follow_the_directory(directory):
    sync()
    directory.change("siobhan", displayName="Siobhan Kelly-Murphy", manager=directory.people["tom"],
                     departmentNumber="PALS", title="Complaints lead", employeeNumber="101403")
    directory.set_members("champions", ["siobhan"])
    plan = plan_sync()
    assert plan.count(Action.UPDATE) == 2  # Siobhan, and Tom who is no longer a champion
    lines = sync_report(plan)
    siobhan_line = next(line for line in lines if "Siobhan Kelly-Murphy" in line)
    assert ": update (" in siobhan_line and "manager amira.haddad@example.nhs.uk -> tom.okafor@example.nhs.uk" \
        in siobhan_line
    apply_sync(plan)
    siobhan = person("siobhan.kelly@example.nhs.uk")
    assert siobhan.display_name == "Siobhan Kelly-Murphy" and siobhan.job_title == "Complaints lead"
    assert siobhan.staff_number == "101403" and siobhan.unit.name == "PALS"
    assert siobhan.manager.email == "tom.okafor@example.nhs.uk"
    assert siobhan.roles == {Role.STAFF, Role.CHAMPION}
    assert person("tom.okafor@example.nhs.uk").roles == {Role.STAFF}


def test_a_changed_email_is_followed_by_the_directory_entry(directory):
    sync()
    tom_id = person("tom.okafor@example.nhs.uk").id
    directory.change("tom", mail="tom.okafor-reid@example.nhs.uk", employeeNumber=None)
    sync()
    assert person("tom.okafor-reid@example.nhs.uk").id == tom_id


def test_people_gone_from_or_disabled_in_the_directory_are_deactivated(directory, as_user):
    sync()
    tom = person("tom.okafor@example.nhs.uk")
    assert person("siobhan.kelly@example.nhs.uk").is_active_account
    tom_browser = as_user(tom)
    assert tom_browser.get("/").status_code == 200
    directory.change("tom", employeeType="left")
    directory.remove("siobhan")
    plan = plan_sync()
    assert [u.email for u in plan.deactivate] == ["siobhan.kelly@example.nhs.uk", "tom.okafor@example.nhs.uk"]
    assert any(line.startswith("Account: Tom Okafor <tom.okafor@example.nhs.uk>: deactivate")
               for line in sync_report(plan))
    result = apply_sync(plan)
    assert result.deactivated == 2
    assert not person("tom.okafor@example.nhs.uk").is_active_account
    assert not person("siobhan.kelly@example.nhs.uk").is_active_account
    assert tom_browser.get("/").status_code == 302  # signed out at once
    deactivations = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.deactivated")).all()
    assert {e.details["source"] for e in deactivations} == {"directory_sync"}


def test_local_accounts_are_never_deactivated_and_roles_outside_the_mapping_stay(directory):
    local_admin = UserFactory(admin=True, email="local.admin@example.nhs.uk")
    sync()
    tom = person("tom.okafor@example.nhs.uk")
    tom.set_roles({Role.STAFF, Role.CHAMPION, Role.PANEL})
    db.session.flush()
    sync()
    assert person(local_admin.email).is_active_account
    assert person("tom.okafor@example.nhs.uk").roles == {Role.STAFF, Role.CHAMPION, Role.PANEL}


def test_hr_imported_people_are_linked_by_staff_number(directory):
    hr = UserFactory(email="t.okafor@old.example.nhs.uk", staff_number="100871", display_name="T Okafor")
    plan = plan_sync()
    row = next(r for r in plan.plan.rows if r.person_id == hr.id)
    assert {c.field for c in row.changes} >= {"email", "name", "directory_id"}
    apply_sync(plan)
    assert person("tom.okafor@example.nhs.uk").id == hr.id


def test_an_entry_with_errors_is_skipped_and_the_rest_applied(directory, run_sync):
    directory.add_person("noemail", name="No Email", email=None, manager="amira")
    directory.add_person("twin", name="Amira's Twin", email="amira.haddad@example.nhs.uk")
    plan = plan_sync()
    assert sorted(row.name for row in plan.skipped) == ["Amira Haddad", "Amira's Twin", "No Email"]
    assert plan.count(Action.CREATE) == 2  # Tom and Siobhan: their manager's address is shared, so left out
    result = run_sync()
    assert result.exit_code == 1, result.output
    assert "ERROR: This entry has no email address" in result.output
    assert "ERROR: The same email address is also on row" in result.output
    assert "3 directory entries were skipped because of the errors above." in result.output
    assert "Synced: 2 created, 0 updated, 0 unchanged, 0 deactivated" in result.output


def test_dry_run_changes_nothing(directory, run_sync):
    result = run_sync("--dry-run")
    assert result.exit_code == 0, result.output
    assert "Entry 1: Amira Haddad <amira.haddad@example.nhs.uk>: create" in result.output
    assert "3 to create, 0 to update, 0 unchanged, 0 to deactivate, 0 with errors (skipped)." in result.output
    assert ("Units that will be created: Riverside NHS Trust, Riverside NHS Trust/PALS, "
            "Riverside NHS Trust/Complaints") in result.output
    assert "Dry run: nothing has been changed." in result.output
    assert person("amira.haddad@example.nhs.uk") is None


def test_the_command_applies(directory, run_sync):
    result = run_sync()
    assert result.exit_code == 0, result.output
    assert "Synced: 3 created, 0 updated, 0 unchanged, 0 deactivated, 3 units created." in result.output
    assert person("tom.okafor@example.nhs.uk").manager.email == "amira.haddad@example.nhs.uk"


def test_a_directory_that_lists_nobody_is_refused(directory, configure):
    configure(LDAP_USER_FILTER="(uid=nobody-at-all)")
    with pytest.raises(DomainError, match="lists nobody"):
        plan_sync()


def test_deactivating_more_than_half_needs_force(slapd, directory, configure, run_sync):
    for n in range(12):
        directory.add_person(f"p{n}", name=f"Person {n}", email=f"p{n}@example.nhs.uk")
    sync()
    others = slapd.tree()
    others.add_person("solo", name="Solo", email="solo@example.nhs.uk")
    configure(LDAP_BASE_DN=others.people_base)  # a wrong base DN: almost everyone seems to have left
    result = run_sync()
    assert result.exit_code == 1
    assert "would deactivate 15 of 15 accounts" in result.output
    assert person("tom.okafor@example.nhs.uk").is_active_account
    assert run_sync("--force").exit_code == 0
    assert not person("tom.okafor@example.nhs.uk").is_active_account


def test_a_directory_that_is_down_stops_the_command(slapd, configure, run_sync):
    configure(**directory_settings(slapd, slapd.tree(), LDAP_URL=f"ldap://127.0.0.1:{free_port()}"))
    result = run_sync()
    assert result.exit_code == 1
    assert "cannot reach the staff directory" in result.output


def test_without_a_directory_the_command_says_what_to_set(run_sync):
    result = run_sync()
    assert result.exit_code == 1 and "No directory is configured" in result.output
