"""Notification objects for the generated route tests."""

from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import EmailStatus, Notification, OutboundEmail
from portal.notifications.services import notify
from tests.factories import UserFactory
from tests.route_objects import Owned, builder


@builder(Notification)
def notification() -> Owned:
    """An unread notification: its recipient owns it, and nobody else may learn it exists."""
    person = UserFactory()
    return Owned(notify(recipient=person, kind="account.roles_changed", subject="Your roles have changed"), person)


@builder(OutboundEmail)
def dead_email() -> Owned:
    """An email the worker gave up on (so an administrator can retry it): its recipient has a claim on it, but the
    outbox is the administrators' alone."""
    person = UserFactory()
    notify(recipient=person, kind="account.roles_changed", subject="Your roles have changed")
    email = db.session.scalar(select(OutboundEmail).where(OutboundEmail.recipient_id == person.id))
    email.status = EmailStatus.DEAD
    db.session.flush()
    return Owned(email, person)
