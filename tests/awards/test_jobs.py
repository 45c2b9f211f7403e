"""Due-date reminders to the panel and escalation to HR, run by the real worker loop."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.awards.scheme_services import CategoryDetails, SchemeDetails, create_scheme, update_scheme
from portal.extensions import db
from portal.notifications.models import Job, JobStatus, Notification
from portal.notifications.worker import run_once
from tests.awards.factories import nominate, panel_member
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def count(kind: str, user_id: int | None = None) -> int:
    stmt = select(func.count()).select_from(Notification).where(Notification.kind == kind)
    if user_id is not None:
        stmt = stmt.where(Notification.recipient_id == user_id)
    return db.session.scalar(stmt)


def details(member, due: date) -> SchemeDetails:
    today = date.today()
    return SchemeDetails(name="Patient Experience Awards", description="", opens_on=today - timedelta(days=1),
                         closes_on=due - timedelta(days=1), decision_due_on=due, needs_manager_endorsement=False,
                         is_blind_review=True, needs_publicity_consent=False,
                         categories=[CategoryDetails("Quiet achiever", "What did they do?\nWho noticed?")],
                         panel_member_ids=[member.id])


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_the_panel_is_reminded_once_before_the_due_date():
    member, other = panel_member(), panel_member()
    member_id, other_id = member.id, other.id
    due = date.today() + timedelta(days=10)
    scheme = create_scheme(details=details(member, due), actor=UserFactory(hr=True))
    nominate(scheme)
    run_once(now=at(due - timedelta(days=4)))
    assert count("awards.panel", member_id) == 0  # not yet
    run_once(now=at(due - timedelta(days=3)))
    run_once(now=at(due - timedelta(days=2)))
    assert count("awards.panel", member_id) == 1
    assert count("awards.panel", other_id) == 0  # not on this panel
    body = db.session.scalar(select(Notification.body).where(Notification.kind == "awards.panel"))
    assert f"Decisions are due on {due:%a} {due.day} {due:%b %Y}." in body  # as dates are written everywhere


def test_hr_is_told_the_day_after_the_due_date_when_decisions_are_missing():
    member, hr = panel_member(), UserFactory(hr=True)
    member_id, hr_id = member.id, hr.id
    due = date.today() + timedelta(days=10)
    scheme = create_scheme(details=details(member, due), actor=hr)
    nominate(scheme)
    run_once(now=at(due + timedelta(days=1)))
    run_once(now=at(due + timedelta(days=2)))
    assert count("awards.escalated", hr_id) == 1
    assert count("awards.escalated", member_id) == 0


def test_nothing_is_sent_when_nothing_waits():
    member, hr = panel_member(), UserFactory(hr=True)
    due = date.today() + timedelta(days=10)
    create_scheme(details=details(member, due), actor=hr)
    run_once(now=at(due + timedelta(days=2)))
    assert count("awards.panel") == 0 and count("awards.escalated") == 0


def test_moving_the_due_date_cancels_the_old_jobs_and_schedules_new_ones():
    member, hr = panel_member(), UserFactory(hr=True)
    hr_id = hr.id
    due = date.today() + timedelta(days=10)
    scheme = create_scheme(details=details(member, due), actor=hr)
    nominate(scheme)
    later = due + timedelta(days=7)
    update_scheme(scheme=scheme, details=details(member, later), actor=hr)
    jobs = db.session.scalars(select(Job).where(Job.dedupe_key.startswith(f"awards:scheme:{scheme.id}:"))).all()
    assert sorted(j.status for j in jobs) == sorted([JobStatus.CANCELLED] * 2 + [JobStatus.PENDING] * 2)
    run_once(now=at(due + timedelta(days=1)))
    assert count("awards.escalated", hr_id) == 0  # the old date no longer counts
    run_once(now=at(later + timedelta(days=1)))
    assert count("awards.escalated", hr_id) == 1
