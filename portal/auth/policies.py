"""Who may do what to a person's account. Views (``@load(..., can=...)``), services and templates
(``can.auth.<verb>(person)``) all ask these."""

from __future__ import annotations

from portal.auth.models import User
from portal.common.roles import Role


def _is_administrator(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN)


def can_manage_account(user: User, person: User) -> bool:
    """Set a temporary password, sign out everywhere, deactivate or reactivate: an administrator, for someone else.

    Nobody does these to their own account from the admin pages (they would lock themselves out)."""
    return _is_administrator(user) and user.id != person.id


def can_deactivate(user: User, person: User) -> bool:
    return can_manage_account(user, person) and person.is_active_account


def can_reactivate(user: User, person: User) -> bool:
    return can_manage_account(user, person) and not person.is_active_account


def can_send_invitation(user: User, person: User) -> bool:
    """Email someone a link to choose their password: an administrator, for someone else who is active and does not
    sign in with the organisation's directory (their password is the directory's)."""
    return can_manage_account(user, person) and person.is_active_account and not person.is_directory_account
