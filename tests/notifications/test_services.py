from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.notifications.jobs import cancel_jobs, schedule_job
from portal.notifications.models import (
    Channel,
    EmailStatus,
    Job,
    JobStatus,
    Notification,
    NotificationPreference,
    OutboundEmail,
)
from portal.notifications.services import (
    mark_all_read,
    notify,
    preferences_for,
    save_preferences,
    unread_count,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")

ROLES = "account.roles_changed"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _noop(payload, now):
    return None


@pytest.fixture(autouse=True)
def _test_jobs(job_handlers):
    job_handlers({"tests.noop": _noop})


def test_notify_writes_in_app_and_email_by_default():
    person = UserFactory(display_name="Priya Shah", email="priya@example.nhs.uk")
    notify(recipient=person, kind=ROLES, subject="You are now a service champion", url="/")
    assert unread_count(person) == 1
    email = db.session.scalar(select(OutboundEmail))
    assert email.to_address == "priya@example.nhs.uk"
    assert email.status == EmailStatus.PENDING
    assert "Hello Priya Shah" in email.text_body
    assert "You are now a service champion" in email.html_body
    assert email.message_id.startswith("<") and email.message_id.endswith(">")


def test_in_app_only_and_digest_preferences():
    person = UserFactory()
    save_preferences(user=person, channels={ROLES: Channel.IN_APP}, digest_hour=6)
    notify(recipient=person, kind=ROLES, subject="Only in the app")
    assert count(OutboundEmail) == 0
    save_preferences(user=person, channels={ROLES: Channel.DIGEST}, digest_hour=6)
    notification = notify(recipient=person, kind=ROLES, subject="In the digest")
    assert notification.digest_pending is True
    assert count(OutboundEmail) == 0
    assert preferences_for(person)[ROLES] == Channel.DIGEST


def test_security_notices_are_always_emailed():
    person = UserFactory()
    save_preferences(user=person, channels={"account.password_set": Channel.IN_APP}, digest_hour=8)
    notify(recipient=person, kind="account.password_set", subject="A temporary password was set")
    assert count(OutboundEmail) == 1


def test_deactivated_people_get_no_email():
    person = UserFactory(is_active_account=False)
    notify(recipient=person, kind=ROLES, subject="Roles changed")
    assert count(OutboundEmail) == 0
    assert count(Notification) == 1


def test_a_rolled_back_change_tells_nobody():
    person = UserFactory()
    with pytest.raises(RuntimeError), db.session.begin_nested():
        notify(recipient=person, kind=ROLES, subject="Never sent")
        raise RuntimeError("the business change failed")
    assert count(Notification) == 0
    assert count(OutboundEmail) == 0


def test_mark_all_read_only_touches_own():
    me, other = UserFactory(), UserFactory()
    for subject in ("one", "two"):
        notify(recipient=me, kind=ROLES, subject=subject)
    notify(recipient=other, kind=ROLES, subject="theirs")
    assert mark_all_read(user=me) == 2
    assert unread_count(me) == 0
    assert unread_count(other) == 1


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(recipient=UserFactory(), kind="no.such.kind", subject="x")


def test_scheduling_the_same_key_twice_makes_one_job():
    run_at = datetime(2026, 12, 1, 9, tzinfo=UTC)
    first = schedule_job(kind="tests.noop", run_at=run_at, dedupe_key="reminder:booking:7")
    second = schedule_job(kind="tests.noop", run_at=run_at + timedelta(hours=1), dedupe_key="reminder:booking:7")
    assert first.id == second.id
    assert count(Job) == 1


def test_cancel_jobs_by_prefix():
    schedule_job(kind="tests.noop", dedupe_key="booking:7:reminder-24h")
    schedule_job(kind="tests.noop", dedupe_key="booking:7:reminder-1h")
    schedule_job(kind="tests.noop", dedupe_key="booking:8:reminder-1h")
    assert cancel_jobs(dedupe_key_prefix="booking:7:") == 2
    statuses = dict(db.session.execute(select(Job.dedupe_key, Job.status)).all())
    assert statuses == {"booking:7:reminder-24h": JobStatus.CANCELLED, "booking:7:reminder-1h": JobStatus.CANCELLED,
                        "booking:8:reminder-1h": JobStatus.PENDING}


def test_going_back_to_the_default_keeps_no_row():
    person = UserFactory()
    save_preferences(user=person, channels={ROLES: Channel.IN_APP}, digest_hour=7)
    assert db.session.get(NotificationPreference, (person.id, ROLES)).channel == Channel.IN_APP
    save_preferences(user=person, channels={ROLES: Channel.DIGEST}, digest_hour=7)
    assert db.session.get(NotificationPreference, (person.id, ROLES)).channel == Channel.DIGEST
    save_preferences(user=person, channels={ROLES: Channel.EMAIL}, digest_hour=7)
    db.session.flush()
    assert db.session.get(NotificationPreference, (person.id, ROLES)) is None
    assert preferences_for(person)[ROLES] == Channel.EMAIL


def test_a_digest_hour_outside_the_day_is_refused():
    with pytest.raises(ValueError, match="0–23"):
        save_preferences(user=UserFactory(), channels={}, digest_hour=24)
