"""On the first of the month each line manager hears how their team was thanked the month before."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import Notification
from portal.notifications.worker import run_once
from portal.recognition.models import Post, PostRecipient
from portal.recognition.monthly import MONTHLY_JOB, month_bounds
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def thank(author, person, when: datetime, **extra) -> Post:
    post = Post(author=author, what_they_did="Stayed late to help a caller in crisis", created_at=when, **extra)
    post.recipients = [PostRecipient(user_id=person.id, unit_id=person.unit_id)]
    db.session.add(post)
    db.session.flush()
    return post


def test_a_months_bounds_follow_london_time():
    start, end = month_bounds("2026-10")
    assert (start.isoformat(), end.isoformat()) == ("2026-10-01T00:00:00+01:00", "2026-11-01T00:00:00+00:00")
    start, end = month_bounds("2026-12")
    assert (start.isoformat(), end.isoformat()) == ("2026-12-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00")


def test_managers_hear_about_their_team_once_a_month():
    manager = UserFactory(display_name="Claire Bennett")
    grace = UserFactory(display_name="Grace Okafor", manager=manager)
    tom = UserFactory(display_name="Tom Reid", manager=manager)
    colleague = UserFactory()
    thank(colleague, grace, datetime(2026, 10, 3, 12, tzinfo=UTC))
    thank(colleague, grace, datetime(2026, 10, 20, 12, tzinfo=UTC))
    thank(colleague, tom, datetime(2026, 10, 21, 12, tzinfo=UTC), withdrawn_at=datetime(2026, 10, 21, tzinfo=UTC))
    thank(colleague, tom, datetime(2026, 11, 1, 9, tzinfo=UTC))  # this month: next time
    db.session.commit()
    manager_id, grace_id = manager.id, grace.id

    run_once(now=datetime(2026, 10, 31, 8, tzinfo=UTC))  # not the first: nothing
    assert db.session.scalars(select(Notification).where(Notification.kind == MONTHLY_JOB)).all() == []

    run_once(now=datetime(2026, 11, 1, 8, tzinfo=UTC))
    [summary] = db.session.scalars(select(Notification).where(Notification.kind == MONTHLY_JOB)).all()
    assert summary.recipient_id == manager_id and summary.url == f"/thanks/people/{grace_id}"
    assert summary.subject == "How your team was thanked in October 2026"
    assert "Grace Okafor (2)" in summary.body and "Tom Reid" not in summary.body

    run_once(now=datetime(2026, 11, 1, 9, tzinfo=UTC))  # the day's job has run: no second summary
    assert len(db.session.scalars(select(Notification).where(Notification.kind == MONTHLY_JOB)).all()) == 1
