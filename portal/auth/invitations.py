"""Invitations and password resets: an emailed, single-use, expiring link to choose a password.

- An administrator (or an HR import) adds someone → ``send_invitation`` emails them a link valid for
  ``INVITATION_VALID_DAYS`` days; sending again makes the earlier link stop working.
- Anyone can ask to reset a password on the sign-in page → ``request_password_reset`` schedules a job and nothing
  else, whether or not the address has an account, so the page takes the same time and says the same thing either
  way (no way to learn who has an account). The worker's job (``send_password_reset``) looks the address up and
  emails a link valid for ``PASSWORD_RESET_VALID_MINUTES`` minutes — or, to someone whose password the directory
  keeps, how to change it there.
- ``choose_password`` uses a link once, sets the password, and ends every other session of that person.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from portal.auth.emails import (
    ACCOUNT_INVITATION,
    ACCOUNT_PASSWORD_CHANGED,
    ACCOUNT_PASSWORD_RESET,
    link_for,
    queue_account_email,
)
from portal.auth.models import SignInToken, TokenPurpose, User, new_session_token
from portal.auth.passwords import hash_password
from portal.auth.services import (
    PersonDetails,
    check_password_rules,
    create_user,
    find_user_by_email,
    normalise_email,
)
from portal.auth.tokens import find_usable, issue_token, use_token
from portal.common.audit import record_event
from portal.common.errors import DomainError
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.jobs import schedule_job
from portal.notifications.services import notify

RESET_JOB = "auth.password_reset"


class LinkNotUsable(DomainError):  # noqa: N818 - a state, like the other domain errors
    pass


def invitation_lifetime() -> timedelta:
    return timedelta(days=int(current_app.config.get("INVITATION_VALID_DAYS", 7)))


def reset_lifetime() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("PASSWORD_RESET_VALID_MINUTES", 60)))


def send_invitation(*, user: User, actor: User | None) -> None:
    """Email ``user`` a link to choose their password. Refused for a deactivated account."""
    if not user.is_active_account:
        raise DomainError(_("%(name)s's account is deactivated. Reactivate it before inviting them.",
                            name=user.display_name))
    now = utcnow()
    secret = issue_token(user=user, purpose=TokenPurpose.INVITATION, valid_for=invitation_lifetime(), now=now)
    queue_account_email(to=user, kind=ACCOUNT_INVITATION, template="invitation",
                        subject=_l("You have been invited to Frontline"), link=link_for(secret), inviter=actor,
                        expires_at=now + invitation_lifetime())
    record_event("auth.invitation_sent", actor=actor, target=user)


def send_invitations(*, users: Iterable[User], actor: User | None) -> int:
    """Invite each of ``users`` (the people an import created); returns how many were invited."""
    count = 0
    for user in users:
        send_invitation(user=user, actor=actor)
        count += 1
    return count


def request_password_reset(*, email: str, ip: str | None) -> str:
    """Someone asked for a reset link for ``email``. Only schedules the work, so the answer does not depend on
    whether the address has an account. Returns the address as understood; raises DomainError (field "email") for
    text that is not an email address."""
    address = normalise_email(email)
    schedule_job(kind=RESET_JOB, payload={"email": address, "ip": ip})
    return address


def add_person(*, details: PersonDetails, password: str | None, invite: bool, actor: User) -> User:
    """An administrator adds someone: with a temporary password (to change when they first sign in), or with an
    invitation email, or neither (they will sign in with the directory, say)."""
    user = create_user(details=details, password=password, actor=actor, must_change_password=password is not None)
    if invite and password is None:
        send_invitation(user=user, actor=actor)
    return user


def send_password_reset(payload: dict, now: datetime) -> None:
    """The worker's half of a reset request: the link (or the directory's advice) to the account's owner, if there
    is one that may have it. Every request is audit-logged with what happened and the address it came from."""
    typed, ip = payload.get("email", ""), payload.get("ip")
    try:
        user = find_user_by_email(normalise_email(typed))
    except DomainError:
        user = None
    if user is None or not user.is_active_account:
        domain = typed.rpartition("@")[2][:253] if user is None else None
        record_event("auth.password_reset_requested", actor=user, target=user, outcome="nothing_sent",
                     reason="no_account" if user is None else "deactivated", email_domain=domain, from_ip=ip)
        return
    if user.is_directory_account and user.password_hash is None:
        queue_account_email(to=user, kind=ACCOUNT_PASSWORD_RESET, template="directory_password",
                            subject=_l("Resetting your Frontline password"))
        record_event("auth.password_reset_requested", actor=user, target=user, outcome="directory_advice",
                     from_ip=ip)
        return
    secret = issue_token(user=user, purpose=TokenPurpose.PASSWORD_RESET, valid_for=reset_lifetime(), now=now)
    queue_account_email(to=user, kind=ACCOUNT_PASSWORD_RESET, template="password_reset",
                        subject=_l("Reset your Frontline password"), link=link_for(secret),
                        expires_at=now + reset_lifetime())
    record_event("auth.password_reset_requested", actor=user, target=user, outcome="link_sent", from_ip=ip)


def usable_link(secret: str | None) -> SignInToken | None:
    """The link's token if it can still be used by an active person (for the page that shows the form)."""
    token = find_usable(secret)
    return token if token is not None and token.user.is_active_account else None


def choose_password(*, secret: str | None, new_password: str) -> User:
    """Use the link ``secret`` once to set its person's password. Every other session of theirs ends, and every
    other link of theirs stops working. Raises LinkNotUsable, or DomainError for a password that breaks the rules
    (the link is then still usable)."""
    check_password_rules(new_password, field="new_password")
    token = use_token(secret)
    if token is None or not token.user.is_active_account:
        raise LinkNotUsable(_("This link has expired or has already been used."))
    user = token.user
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.session_token = new_session_token()
    db.session.execute(update(SignInToken)
                       .where(SignInToken.user_id == user.id, SignInToken.used_at.is_(None),
                              SignInToken.expires_at > token.used_at)
                       .values(expires_at=token.used_at)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    invited = token.purpose == TokenPurpose.INVITATION
    record_event("auth.invitation_accepted" if invited else "auth.password_reset", actor=user, target=user)
    notify(recipient=user, kind=ACCOUNT_PASSWORD_CHANGED, url="/account/password",
           subject=_l("Your Frontline password has been set") if invited else
           _l("Your Frontline password has been reset"),
           body=_l("You can now sign in with it. Anyone signed in to your account elsewhere has been signed out. "
                   "If this was not you, tell your IT service desk at once."))
    return user
