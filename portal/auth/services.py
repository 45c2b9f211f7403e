"""Accounts: creating people, signing in, passwords, roles. The acting user is always a parameter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from portal.auth.models import User, new_session_token
from portal.auth.passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password
from portal.auth.policies import can_manage_account
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError
from portal.common.roles import Role
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import ACCOUNT_PASSWORD_SET, ACCOUNT_ROLES_CHANGED
from portal.notifications.services import notify
from portal.org.models import Unit

SIGN_IN_FAILED = _l("Your email or password is not right. Check them and try again.")


class SignInFailed(DomainError):
    pass


def normalise_email(raw: str) -> str:
    """Lower-cased, validated email (no deliverability check: intranets often have no DNS for mail)."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(_("Enter an email address like name@nhs.net."), field="email") from exc


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def check_password_rules(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH), field=field)
    if len(password) > 256:
        raise DomainError(_("Use %(num)d characters or fewer.", num=256), field=field)


def authenticate(*, email: str, password: str) -> User:
    """Return the active person with these credentials (a password kept by Frontline), or raise SignInFailed with
    one generic message.

    Every failure is audit-logged with its real reason; the person signing in only ever sees the generic one.
    """
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active_account:
        reason = "no_account" if user is None else ("wrong_password" if not ok else "deactivated")
        fail_sign_in(typed=email, user=user, reason=reason)
    return signed_in_with_password(user, password)


def fail_sign_in(*, typed: str, user: User | None, reason: str, method: str | None = None,
                 message: str = SIGN_IN_FAILED) -> NoReturn:
    """Record a failed sign-in with its real reason and raise SignInFailed with ``message`` (the generic one
    unless the reason is nobody's secret, such as the directory being down)."""
    # People sometimes type their password into the email box: for an unknown address only its domain is kept
    # (enough to see an attack on one organisation), never the text.
    lowered = typed.strip().lower()
    domain = lowered.rpartition("@")[2][:253] if "@" in lowered else None
    record_event("auth.sign_in_failed", actor=user, target=user, reason=reason, method=method,
                 email_domain=domain if user is None else None)
    raise SignInFailed(message)


def signed_in_with_password(user: User, password: str) -> User:
    """The bookkeeping of a successful sign-in with Frontline's own password."""
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return record_sign_in(user, method="password")


def record_sign_in(user: User, *, method: str | None) -> User:
    """``method``: "password" (Frontline's own), "directory" or "trusted_header"."""
    user.last_sign_in_at = utcnow()
    record_event("auth.signed_in", actor=user, target=user, method=method)
    return user


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    """The person changes their own password; every other session of theirs is signed out."""
    if not verify_password(user.password_hash, current_password):
        raise DomainError(_("Your current password is not right."), field="current_password")
    check_password_rules(new_password, field="new_password")
    if verify_password(user.password_hash, new_password):
        raise DomainError(_("Choose a password different from your current one."), field="new_password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.session_token = new_session_token()
    db.session.flush()
    record_event("auth.password_changed", actor=user, target=user)


def set_temporary_password(*, user: User, password: str, actor: User) -> None:
    """An administrator sets a password the person must change when they next sign in."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.session_token = new_session_token()
    db.session.flush()
    record_event("auth.temporary_password_set", actor=actor, target=user)
    notify(recipient=user, kind=ACCOUNT_PASSWORD_SET.name, url="/account/password",
           subject=_l("An administrator set a temporary password on your Frontline account"),
           body=_l("You will be asked to choose your own password when you next sign in. If you did not ask for "
                   "this, tell your IT service desk."))


def sign_out_everywhere(*, user: User, actor: User) -> None:
    user.session_token = new_session_token()
    db.session.flush()
    record_event("auth.signed_out_everywhere", actor=actor, target=user)


@dataclass
class PersonDetails:
    email: str
    display_name: str
    unit: Unit
    job_title: str = ""
    staff_number: str | None = None
    manager: User | None = None
    roles: Iterable[Role] = (Role.STAFF,)


def _check_unique(details: PersonDetails, *, existing: User | None) -> None:
    other = find_user_by_email(details.email)
    if other is not None and other is not existing:
        raise Conflict(_("Someone already has this email address."), field="email")
    staff_number = (details.staff_number or "").strip()  # checked as it will be stored
    if staff_number:
        other = db.session.scalar(select(User).where(func.lower(User.staff_number) == staff_number.lower()))
        if other is not None and other is not existing:
            raise Conflict(_("Staff number %(number)s already belongs to %(name)s.", number=staff_number,
                             name=other.display_name), field="staff_number")


def _check_manager(user: User | None, manager: User | None) -> None:
    seen = set()
    current = manager
    while current is not None and current.id not in seen:
        if user is not None and current.id == user.id:
            raise DomainError(_("A person cannot manage themselves, directly or through others."), field="manager_id")
        seen.add(current.id)
        current = current.manager


def create_user(*, details: PersonDetails, password: str | None = None, actor: User | None,
                must_change_password: bool = False, directory_id: str | None = None) -> User:
    """Add a person. Raises Conflict for a taken email or staff number. ``directory_id`` links the account to its
    directory entry (a first sign-in with the directory)."""
    details.email = normalise_email(details.email)
    if not details.display_name.strip():
        raise DomainError(_("Enter the person's name."), field="display_name")
    _check_unique(details, existing=None)
    if password is not None:
        check_password_rules(password)
    user = User(email=details.email, display_name=details.display_name.strip(), unit=details.unit,
                job_title=details.job_title.strip(), staff_number=(details.staff_number or "").strip() or None,
                manager=details.manager, password_hash=hash_password(password) if password else None,
                must_change_password=must_change_password, directory_id=directory_id)
    user.set_roles(details.roles)
    db.session.add(user)
    db.session.flush()
    record_event("user.created", actor=actor, target=user, email=user.email,
                 roles=sorted(r.value for r in user.roles), unit_id=user.unit_id,
                 source="directory" if directory_id else None)
    return user


def update_user(*, user: User, details: PersonDetails, actor: User | None) -> list[str]:
    """Change a person's details and roles; returns the names of the fields that changed (audit-logged)."""
    details.email = normalise_email(details.email)
    if not details.display_name.strip():
        raise DomainError(_("Enter the person's name."), field="display_name")
    _check_unique(details, existing=user)
    _check_manager(user, details.manager)
    new_roles = frozenset(Role(r) for r in details.roles)
    if actor is not None and actor.id == user.id and user.has_role(Role.ADMIN) and Role.ADMIN not in new_roles:
        raise DomainError(_("You cannot remove your own administrator role. Ask another administrator to do it."),
                          field="roles")
    wanted = {
        "email": details.email,
        "display_name": details.display_name.strip(),
        "job_title": details.job_title.strip(),
        "staff_number": (details.staff_number or "").strip() or None,
        "unit_id": details.unit.id,
        "manager_id": details.manager.id if details.manager else None,
    }
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, wanted[name])
    old_roles = user.roles
    if old_roles != new_roles:
        user.set_roles(new_roles)
        changed.append("roles")
        record_event("user.roles_changed", actor=actor, target=user, added=sorted(new_roles - old_roles),
                     removed=sorted(old_roles - new_roles))
        _tell_roles_changed(user, new_roles)
    db.session.flush()
    if changed:
        db.session.expire(user, ["unit", "manager"])
        record_event("user.updated", actor=actor, target=user, fields=changed)
    return changed


def _tell_roles_changed(user: User, roles: frozenset[Role]) -> None:
    # Lazy, so the role names are written in the recipient's language when notify renders them.
    names = LazyString(lambda: ", ".join(str(role.label) for role in sorted(roles)))
    notify(recipient=user, kind=ACCOUNT_ROLES_CHANGED.name, url="/",
           subject=_l("Your roles in Frontline have changed"),
           body=_l("You now have these roles: %(roles)s.", roles=names))


def set_active(*, user: User, active: bool, actor: User) -> None:
    """Deactivate (signs them out everywhere) or reactivate a person. Nobody deactivates themselves."""
    if not can_manage_account(actor, user):
        raise DomainError(_("You cannot deactivate or reactivate your own account."))
    if user.is_active_account == active:
        return
    user.is_active_account = active
    if not active:
        user.session_token = new_session_token()
    db.session.flush()
    record_event("user.reactivated" if active else "user.deactivated", actor=actor, target=user)
