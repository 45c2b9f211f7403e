"""Who may do what to a person's account. Views, services and templates all ask these."""

from __future__ import annotations

from portal.auth.models import User
from portal.common.roles import Role


def can_manage_accounts(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.ADMIN)


def can_manage_account(user: User, person: User) -> bool:
    """Set a temporary password, sign out everywhere, deactivate or reactivate: an administrator, for someone else.

    Nobody does these to their own account from the admin pages (they would lock themselves out)."""
    return can_manage_accounts(user) and user.id != person.id


def can_deactivate(user: User, person: User) -> bool:
    return can_manage_account(user, person) and person.is_active_account


def can_reactivate(user: User, person: User) -> bool:
    return can_manage_account(user, person) and not person.is_active_account
