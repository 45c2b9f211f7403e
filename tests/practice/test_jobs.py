"""The periodic jobs: review-date reminders (once per due date) and the weekly digest (Mondays of its period only,
what each person follows, through their notification preferences, with note content escaped in the email)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import Channel, Notification, NotificationPreference, OutboundEmail
from portal.practice import cascade
from portal.practice.jobs import PERIODIC, remind_review_due, send_weekly_digest
from portal.practice.models import Note
from portal.practice.moderation import approve_note
from tests.factories import UserFactory
from tests.practice.factories import area, pending, write

pytestmark = pytest.mark.usefixtures("app_ctx")
MONDAY = "2026-11-30"
TUESDAY = "2026-12-01"


def published_on(a, when: datetime, **overrides) -> Note:
    note = pending(a, **overrides)
    approve_note(note=note, actor=a.champion, now=when)
    return note


def subjects(person) -> list[str]:
    return list(db.session.scalars(select(Notification.subject).where(Notification.recipient_id == person.id)))


def test_both_jobs_run_daily():
    assert {(job.kind, job.every.value) for job in PERIODIC} == {("practice.review_due", "day"),
                                                                ("practice.weekly_digest", "day")}


def test_notes_past_their_review_date_go_back_to_the_champions_once():
    a = area()
    old = published_on(a, datetime(2025, 11, 1, 9, tzinfo=UTC))
    fresh = published_on(a, datetime(2026, 11, 1, 9, tzinfo=UTC), title="A fresh note")
    remind_review_due({"period": TUESDAY}, datetime.now(UTC))
    due = [s for s in subjects(a.champion) if "due for review" in s]
    assert due == [f"A practice note is due for review: {old.title}"]
    assert old.review_reminded_at == old.review_due_at and fresh.review_reminded_at is None
    remind_review_due({"period": TUESDAY}, datetime.now(UTC))  # the same period again: nobody told twice
    assert len([s for s in subjects(a.champion) if "due for review" in s]) == 1


def test_the_weekly_digest_acts_only_on_mondays_and_on_its_period():
    a = area()
    follower = UserFactory()
    cascade.follow(user=follower, tag="bereavement")
    published_on(a, datetime(2026, 11, 25, 10, tzinfo=UTC))
    send_weekly_digest({"period": TUESDAY}, datetime(2026, 11, 30, 7, tzinfo=UTC))
    assert subjects(follower) == []
    send_weekly_digest({"period": MONDAY}, datetime(2027, 1, 5, 7, tzinfo=UTC))  # late: still about its week
    assert subjects(follower) == ["Good practice you follow: 1 notes this week"]


def test_the_digest_covers_followed_tags_and_units_and_nothing_else():
    a = area()
    by_tag, by_unit, nobody = UserFactory(), UserFactory(), UserFactory()
    cascade.follow(user=by_tag, tag="scripts")
    cascade.follow(user=by_unit, unit=a.pals)
    cascade.follow(user=nobody, tag="interpreters")
    in_week = datetime(2026, 11, 26, 10, tzinfo=UTC)
    published_on(a, in_week, title="Scripts we stopped using", tags=["scripts"])
    published_on(a, datetime(2026, 11, 20, 10, tzinfo=UTC), title="Too early", tags=["scripts"])
    write(a.staff, submit=False, title="A draft", tags=["scripts"])
    send_weekly_digest({"period": MONDAY}, in_week)
    body = db.session.scalar(select(Notification.body).where(Notification.recipient_id == by_tag.id))
    assert "Scripts we stopped using" in body and "Too early" not in body and "A draft" not in body
    assert subjects(by_unit) == ["Good practice you follow: 1 notes this week"]
    assert subjects(nobody) == []


def test_featured_notes_come_first_and_are_marked():
    a = area()
    follower = UserFactory()
    cascade.follow(user=follower, unit=a.pals)
    old = published_on(a, datetime(2026, 10, 1, 10, tzinfo=UTC), title="Featured from before")
    published_on(a, datetime(2026, 11, 26, 10, tzinfo=UTC), title="New this week")
    feature = cascade.feature_note(note=old, actor=a.champion, unit=a.pals,
                                   until=(datetime.now(UTC) + timedelta(days=3)).date())
    feature.created_at = datetime(2026, 11, 27, tzinfo=UTC)
    feature.until = datetime(2026, 12, 20, tzinfo=UTC)
    db.session.flush()
    send_weekly_digest({"period": MONDAY}, datetime(2026, 11, 30, 7, tzinfo=UTC))
    body = db.session.scalar(select(Notification.body).where(Notification.recipient_id == follower.id))
    assert body.splitlines()[0].startswith("- (featured) Featured from before")
    assert "New this week" in body.splitlines()[1]


def test_the_digest_respects_preferences_and_escapes_note_content_in_the_email():
    a = area()
    by_email, in_app = UserFactory(), UserFactory()
    for person in (by_email, in_app):
        cascade.follow(user=person, tag="handover")
    db.session.add(NotificationPreference(user_id=in_app.id, kind="practice.weekly", channel=Channel.IN_APP))
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    published_on(a, datetime(2026, 11, 26, 10, tzinfo=UTC), title=f"Handover {evil}"[:120],
                 summary=f"{evil} `${{alert(1)}}`", tags=["handover"])
    send_weekly_digest({"period": MONDAY}, datetime(2026, 11, 30, 7, tzinfo=UTC))
    emails = list(db.session.scalars(select(OutboundEmail).where(OutboundEmail.kind == "practice.weekly")))
    assert [e.recipient_id for e in emails] == [by_email.id]
    html = emails[0].html_body
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert subjects(in_app) == ["Good practice you follow: 1 notes this week"]
