"""From a directory entry to a Frontline account: the first sign-in creates it, later ones refresh it.

The account is found by its directory entry's id, then by staff number, then by email (so someone added by an HR
import or by hand is linked, not duplicated). The directory is the truth for the name, email, staff number, job
title, department (→ unit), line manager and the roles it has groups for; each is left alone when its attribute is
not mapped, when the entry leaves it empty, or when using it would clash with someone else (the same email, a
manager loop) — a sign-in never fails because of a detail. Every change is audit-logged by ``update_user``.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.auth.directory import DirectoryPerson, DirectoryRejected
from portal.auth.directory_settings import DirectorySettings
from portal.auth.models import User
from portal.auth.services import PersonDetails, _check_manager, create_user, find_user_by_email, update_user
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.extensions import db
from portal.org.models import Unit
from portal.org.services import ensure_unit_path


def find_account(person: DirectoryPerson) -> User | None:
    by_entry = db.session.scalar(select(User).where(User.directory_id == person.directory_id))
    if by_entry is not None:
        return by_entry
    if person.staff_number:
        by_number = db.session.scalar(select(User).where(
            func.lower(User.staff_number) == person.staff_number.lower(), User.directory_id.is_(None)))
        if by_number is not None:
            return by_number
    if person.email:
        by_address = find_user_by_email(person.email)
        if by_address is not None and by_address.directory_id is None:
            return by_address
    return None


def unit_path_for(department: str | None, settings: DirectorySettings) -> str:
    """A department written as a path ("Trust/PALS") is used as it is; a plain name goes under LDAP_DEFAULT_UNIT."""
    if not department:
        return settings.default_unit
    return department if "/" in department else f"{settings.default_unit}/{department}"


def _unit(person: DirectoryPerson, settings: DirectorySettings, current: Unit | None) -> Unit:
    if current is not None and (settings.attribute("department") is None or not person.department):
        return current
    try:
        return ensure_unit_path(unit_path_for(person.department, settings))
    except DomainError:  # a department that cannot be a unit name (too long, say): keep what they have
        return current or ensure_unit_path(settings.default_unit)


def _manager(person: DirectoryPerson, user: User | None) -> User | None:
    """The manager's account when the directory names one Frontline has (the current manager when it names someone
    Frontline does not have yet, or someone who would close a loop); None when the directory names nobody."""
    current = user.manager if user is not None else None
    if not person.manager_dn:
        return None
    manager = None
    if person.manager_directory_id:
        manager = db.session.scalar(select(User).where(User.directory_id == person.manager_directory_id))
    if manager is None and person.manager_email:
        manager = find_user_by_email(person.manager_email)
    if manager is None:
        return current
    try:
        _check_manager(user, manager)
    except DomainError:
        return current
    return manager


def _details(person: DirectoryPerson, user: User | None, settings: DirectorySettings) -> PersonDetails:
    keep = user is not None
    email = person.email or (user.email if keep else "")
    if keep and email != user.email and find_user_by_email(email) not in (None, user):
        email = user.email  # someone else has this address in Frontline: keep theirs, do not fail the sign-in
    staff_number = person.staff_number if settings.attribute("staff_number") else None
    if staff_number and _staff_number_taken(staff_number, user):
        staff_number = None
    if not staff_number and keep:
        staff_number = user.staff_number
    job_title = person.job_title or "" if settings.attribute("job_title") else (user.job_title if keep else "")
    managed = settings.managed_roles
    kept = (user.roles - managed) if keep else frozenset()
    manager = _manager(person, user) if settings.attribute("manager") else (user.manager if keep else None)
    return PersonDetails(email=email, display_name=person.name or (user.display_name if keep else email),
                         unit=_unit(person, settings, user.unit if keep else None), job_title=job_title,
                         staff_number=staff_number, manager=manager,
                         roles=sorted(kept | person.roles | {Role.STAFF}))


def _staff_number_taken(staff_number: str, user: User | None) -> bool:
    other = db.session.scalar(select(User).where(func.lower(User.staff_number) == staff_number.lower()))
    return other is not None and other is not user


def account_for(person: DirectoryPerson, settings: DirectorySettings) -> User:
    """The Frontline account of a person the directory vouched for: created on their first sign-in, refreshed on
    every later one. Raises DirectoryRejected("no_email") for an entry Frontline cannot make an account from."""
    user = find_account(person)
    if user is None:
        if not person.email:
            raise DirectoryRejected("no_email")
        try:
            with db.session.begin_nested():
                return create_user(details=_details(person, None, settings), actor=None,
                                   directory_id=person.directory_id)
        except DomainError as error:  # an entry whose email is not an address, say
            raise DirectoryRejected("unusable_entry") from error
        except IntegrityError:
            # Two first sign-ins at the same moment: the other one created the account; refresh that.
            user = find_account(person)
            if user is None:
                raise
    if user.directory_id is None:
        user.directory_id = person.directory_id
    update_user(user=user, details=_details(person, user, settings), actor=None)
    return user
