"""``flask users sync-ldap``: make Frontline's people match the directory, so the organisation chart stays current.

Each enabled person the directory lists becomes a row planned exactly like a row of an HR file
(``portal.auth.importing.plan_rows``): matched by directory entry, staff number, then email; created or updated;
units made from departments; line managers set from the ``manager`` attribute. The directory decides only the
roles it has groups for. Accounts linked to a directory entry that is gone or disabled are deactivated (signed out
at once); local accounts are never touched.

Unlike an HR file, one bad entry (no email, an address two entries share) does not hold up everyone else: it is
skipped and reported, and the rest is applied. A directory that lists nobody, or a sync that would deactivate more
than half of the linked accounts, is refused unless forced: that is a wrong base DN or filter, not a mass leaving.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.directory import DirectoryPerson, current_settings, normalise_dn, read_everyone
from portal.auth.directory_accounts import unit_path_for
from portal.auth.directory_settings import DirectorySettings
from portal.auth.import_file import _check_duplicates
from portal.auth.importing import Action, ImportPlan, ImportResult, ImportRow, apply_import, plan_rows
from portal.auth.models import User, new_session_token
from portal.auth.services import normalise_email
from portal.common.audit import record_event
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.extensions import db
from portal.org.services import split_unit_path

# More than this share of the linked accounts deactivated at once (and more than MASS_MINIMUM) needs --force.
MASS_SHARE = 0.5
MASS_MINIMUM = 10


@dataclass
class SyncPlan:
    plan: ImportPlan
    skipped: list[ImportRow] = field(default_factory=list)  # entries with errors, left out
    deactivate: list[User] = field(default_factory=list)
    inactive_but_listed: list[User] = field(default_factory=list)  # deactivated here, enabled in the directory
    linked_active: int = 0

    @property
    def is_mass_deactivation(self) -> bool:
        return len(self.deactivate) > max(MASS_MINIMUM, MASS_SHARE * self.linked_active)

    def count(self, action: Action) -> int:
        return len(self.deactivate) if action == Action.DEACTIVATE else self.plan.count(action)


@dataclass(frozen=True)
class SyncResult:
    imported: ImportResult | None
    deactivated: int


def _row(number: int, person: DirectoryPerson, settings: DirectorySettings, left_out: set[str]) -> ImportRow:
    """The entry as a row of an HR file. A manager in ``left_out`` (skipped for errors) is treated as unknown, so
    the people they manage keep the manager they have rather than being skipped too."""
    departments = settings.attribute("department") is not None and bool(person.department)
    mapped_manager = settings.attribute("manager") is not None and (
        not person.manager_dn or normalise_dn(person.manager_dn) not in left_out)
    row = ImportRow(number=number, email=person.email or "", name=person.name[:120],
                    staff_number=person.staff_number if settings.attribute("staff_number") else None,
                    unit_path=unit_path_for(person.department if departments else None, settings),
                    manager_email=person.manager_email if mapped_manager else None,
                    roles=frozenset(person.roles | {Role.STAFF}),
                    job_title=(person.job_title or "")[:120] if settings.attribute("job_title") else None,
                    manager_given=not mapped_manager or person.manager_dn is not None,
                    directory_id=person.directory_id, unit_for_new_only=not departments)
    if not person.email:
        row.errors.append(_("This entry has no email address, so it cannot be a Frontline account."))
    else:
        try:
            row.email = normalise_email(person.email)
            row.email_ok = True
        except DomainError:
            row.errors.append(_("%(email)s is not a valid email address.", email=person.email))
    if row.staff_number and len(row.staff_number) > 40:
        row.errors.append(_("The staff number is too long: use 40 characters or fewer."))
    try:
        row.unit_key = tuple(name.casefold() for name in split_unit_path(row.unit_path))
    except DomainError as error:
        row.errors.append(error.message)
    return row


def _plan_once(people: list[tuple[int, DirectoryPerson]], settings: DirectorySettings, left_out: set[str],
               ) -> tuple[ImportPlan, list[ImportRow]]:
    """The plan of the entries, or (with an empty plan) the entries with errors of their own (no email, an address
    another entry has), which must be left out before the others can be planned."""
    rows = [_row(number, person, settings, left_out) for number, person in people]
    _check_duplicates(rows)
    plan = ImportPlan(text="", rows=rows, has_job_title=settings.attribute("job_title") is not None,
                      managed_roles=settings.managed_roles)
    bad = [row for row in rows if row.errors]
    if bad:
        return ImportPlan(text=""), bad
    if plan.rows:
        plan_rows(plan)
    return plan, [row for row in rows if row.errors]


def plan_sync(*, people: list[DirectoryPerson] | None = None) -> SyncPlan:
    """What a sync would do, writing nothing. Reads the directory unless given its people. Raises
    DirectoryUnavailable, or DomainError when the directory lists nobody."""
    settings = current_settings()
    if settings is None:
        raise DomainError(_("No directory is configured: set LDAP_URL and the other LDAP_ settings."))
    people = read_everyone() if people is None else people
    listed = sorted((p for p in people if not p.disabled), key=lambda p: (p.email or "", p.dn.lower()))
    if not listed:
        raise DomainError(_("The directory lists nobody under LDAP_BASE_DN with LDAP_USER_FILTER, so nothing was "
                            "changed. Check those two settings."))
    numbered = list(enumerate(listed, start=1))
    skipped: list[ImportRow] = []
    left_out: set[str] = set()  # their DNs
    while True:  # leave out entries with errors, then plan again without them
        plan, bad = _plan_once(numbered, settings, left_out)
        if not bad:
            break
        skipped.extend(bad)
        numbers = {row.number for row in bad}
        left_out |= {normalise_dn(person.dn) for number, person in numbered if number in numbers}
        numbered = [(number, person) for number, person in numbered if number not in numbers]
    return _with_deactivations(SyncPlan(plan=plan, skipped=sorted(skipped, key=lambda r: r.number)), listed)


def _with_deactivations(sync: SyncPlan, listed: list[DirectoryPerson]) -> SyncPlan:
    listed_ids = {person.directory_id for person in listed}
    # Someone matched by email or staff number to a new entry (an account made again) is updated, not deactivated.
    matched = {row.person_id for row in [*sync.plan.rows, *sync.skipped] if row.person_id is not None}
    linked = db.session.scalars(select(User).where(User.directory_id.is_not(None))
                                .order_by(User.display_name, User.id))
    for user in linked:
        if user.is_active_account:
            sync.linked_active += 1
            if user.directory_id not in listed_ids and user.id not in matched:
                sync.deactivate.append(user)
        elif user.directory_id in listed_ids:
            sync.inactive_but_listed.append(user)
    return sync


def apply_sync(sync: SyncPlan, *, force: bool = False) -> SyncResult:
    """Carry out a plan: create and update people, then deactivate those the directory no longer lists. Raises
    DomainError for a mass deactivation unless ``force``."""
    if sync.is_mass_deactivation and not force:
        raise DomainError(_("This sync would deactivate %(count)d of %(total)d accounts linked to the directory, so "
                            "nothing was changed. If that is right, run it again with --force.",
                            count=len(sync.deactivate), total=sync.linked_active))
    imported = None
    if sync.plan.rows:
        imported = apply_import(plan=sync.plan, actor=None, audit_action="user.directory_synced")
    for user in sync.deactivate:
        user.is_active_account = False
        user.session_token = new_session_token()
        record_event("user.deactivated", actor=None, target=user, source="directory_sync")
    db.session.flush()
    return SyncResult(imported=imported, deactivated=len(sync.deactivate))
