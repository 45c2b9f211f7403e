"""Who may read a notification and retry an email — without HTTP."""

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from portal.extensions import db
from portal.notifications import policies
from portal.notifications.models import EmailStatus, OutboundEmail
from portal.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")
ROLES = "account.roles_changed"


def test_a_notification_is_its_recipients_alone():
    me = UserFactory()
    mine = notify(recipient=me, kind=ROLES, subject="Mine")
    assert policies.can_read(me, mine)
    assert not any(policies.can_read(u, mine) for u in (UserFactory(), UserFactory(admin=True), AnonymousUserMixin()))


def test_only_an_administrator_retries_and_only_an_email_that_could_not_be_sent():
    notify(recipient=UserFactory(), kind=ROLES, subject="Stuck")
    email = db.session.scalar(select(OutboundEmail))
    admin = UserFactory(admin=True)
    assert not policies.can_retry(admin, email)  # still waiting to be sent
    email.status = EmailStatus.DEAD
    assert policies.can_retry(admin, email)
    assert not any(policies.can_retry(u, email) for u in (UserFactory(), UserFactory(hr=True), AnonymousUserMixin()))
