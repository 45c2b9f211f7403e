"""Every way into Frontline: a password Frontline keeps, the organisation's directory, or a reverse proxy that has
already signed the person in (single sign-on through a trusted header).

``sign_in_with_password`` tries Frontline's own password first when the account has one and ``LOCAL_SIGN_IN``
allows it (so a local administrator signs in while the directory is down), then the directory. Every failure is
audit-logged with its real reason and method; people see one generic message — or, when the directory cannot be
reached, that (it is nobody's secret, and it tells them to try later rather than doubt their password).
"""

from __future__ import annotations

import logging

from flask import current_app

from portal.auth import directory
from portal.auth.directory import DirectoryRejected, DirectoryUnavailable
from portal.auth.directory_accounts import account_for
from portal.auth.directory_settings import LocalSignIn, local_sign_in
from portal.auth.models import User
from portal.auth.passwords import verify_password
from portal.auth.services import (
    authenticate,
    fail_sign_in,
    find_user_by_email,
    record_sign_in,
    signed_in_with_password,
)
from portal.common.audit import record_event
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.extensions import db

log = logging.getLogger(__name__)
MAX_HEADER_VALUE = 320


def local_password_allowed(user: User) -> bool:
    if user.password_hash is None:
        return False
    if directory.current_settings() is None:
        return True
    return local_sign_in(current_app.config) == LocalSignIn.EVERYONE or user.has_role(Role.ADMIN)


def sign_in_with_password(*, identifier: str, password: str) -> User:
    """The active person these details belong to, or SignInFailed. ``identifier`` is an email address, or (with a
    directory) whatever the directory accepts as a user name."""
    settings = directory.current_settings()
    if settings is None:
        return authenticate(email=identifier, password=password)
    user = find_user_by_email(identifier)
    if user is not None and local_password_allowed(user) and verify_password(user.password_hash, password):
        if not user.is_active_account:
            fail_sign_in(typed=identifier, user=user, reason="deactivated")
        return signed_in_with_password(user, password)
    try:
        person = directory.check_credentials(username=identifier, password=password)
        with db.session.begin_nested():  # a refusal while refreshing the account leaves it as it was
            account = account_for(person, settings)
    except DirectoryUnavailable:
        fail_sign_in(typed=identifier, user=user, reason="directory_unavailable", method="directory",
                     message=directory.UNAVAILABLE)
    except DirectoryRejected as refusal:
        fail_sign_in(typed=identifier, user=user, reason=f"directory_{refusal.reason}", method="directory")
    except DomainError as error:  # refreshing the account clashed with someone else's details
        log.warning("directory sign-in of %r could not update the account: %s", identifier, error.message)
        fail_sign_in(typed=identifier, user=user, reason="account_conflict", method="directory")
    if not account.is_active_account:
        fail_sign_in(typed=identifier, user=account, reason="deactivated", method="directory")
    return record_sign_in(account, method="directory")


def sign_in_with_header(*, identity: str) -> User:
    """The person a trusted reverse proxy says is signing in (``identity``: an email address, or a user name the
    directory knows). With a directory, their entry is read (and their account created or refreshed); without
    one, or when it cannot be reached, an account with that email is used. Raises SignInFailed."""
    identity = identity.strip()[:MAX_HEADER_VALUE]
    user = find_user_by_email(identity) if "@" in identity else None
    settings = directory.current_settings()
    if settings is not None and settings.has_service_account:
        try:
            person = directory.look_up(username=identity)
            with db.session.begin_nested():
                user = account_for(person, settings)
        except DirectoryRejected as refusal:
            if refusal.reason != "no_entry" or user is None:
                fail_sign_in(typed=identity, user=user, reason=f"directory_{refusal.reason}", method="trusted_header")
        except DirectoryUnavailable:
            if user is None:
                fail_sign_in(typed=identity, user=None, reason="directory_unavailable", method="trusted_header",
                             message=directory.UNAVAILABLE)
        except DomainError as error:
            log.warning("single sign-on of %r could not update the account: %s", identity, error.message)
            if user is None:
                fail_sign_in(typed=identity, user=None, reason="account_conflict", method="trusted_header")
    if user is None:
        fail_sign_in(typed=identity, user=None, reason="no_account", method="trusted_header")
    if not user.is_active_account:
        fail_sign_in(typed=identity, user=user, reason="deactivated", method="trusted_header")
    return record_sign_in(user, method="trusted_header")


def record_untrusted_header(*, header: str, value: str, peer: str | None) -> None:
    """Someone who is not one of the configured proxies sent the single sign-on header: ignored, and written down."""
    log.warning("ignored %s header from %s (not in TRUSTED_PROXIES)", header, peer)
    record_event("auth.trusted_header_ignored", header=header, value=value.strip()[:MAX_HEADER_VALUE], peer=peer)

