"""Who may do what with a notification or an email in the outbox.

A notification is its recipient's alone: anyone else is told it does not exist. The outbox is for administrators
(the route says so); whether an email can still be retried is decided by the service's guarded update.
"""

from __future__ import annotations

from portal.auth.models import User
from portal.common.roles import Role
from portal.notifications.kinds import all_kinds
from portal.notifications.models import EmailStatus, Notification, OutboundEmail


def can_read(user: User, notification: Notification) -> bool:
    """Opening it and marking it read: its recipient only."""
    return user.is_authenticated and notification.recipient_id == user.id


def can_retry(user: User, email: OutboundEmail) -> bool:
    """The "Try sending again" button: an administrator, on an email the worker gave up on."""
    return user.is_authenticated and user.has_role(Role.ADMIN) and email.status == EmailStatus.DEAD


def can_read_email(user: User, email: OutboundEmail) -> bool:
    """Who it went to and what it says: not for peer-support emails, whose very existence says who asked for help
    (DESIGN.md: never admins, through any page). Administrators still see their status and can retry them."""
    kind = all_kinds().get(email.kind)
    return user.is_authenticated and user.has_role(Role.ADMIN) and not (kind is not None and kind.confidential)
