"""Leavers: deactivated longer ago than LEAVER_RETENTION_DAYS, anonymised by the daily job; every count stays true."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.auth.services import set_active
from portal.common.audit import AuditEvent, record_event
from portal.db import utcnow
from portal.debriefs.models import DebriefRequest
from portal.extensions import db
from portal.insight import pages, peer_support, queries
from portal.insight.filters import read_filter
from portal.mentoring.models import Mentoring
from portal.notifications.models import Notification, OutboundEmail
from portal.privacy.leavers import FORMER_COLLEAGUE, anonymise_due_leavers, leavers_due
from portal.privacy.models import AnonymisedLeaver
from portal.recognition.models import Post
from portal.support.models import Booking, SupporterProfile
from tests.awards.factories import make_scheme, nominate
from tests.factories import UserFactory
from tests.insight.data import booking, debrief, mentoring
from tests.recognition.factories import WORDS, thank
from tests.schedule import london, run_daily_sweeps

pytestmark = pytest.mark.usefixtures("app_ctx")


def deactivated(person, *, days_ago: int):
    """As an administrator deactivates someone, ``days_ago`` days ago (the audit log is the record of when)."""
    person.is_active_account = False
    db.session.add(AuditEvent(action="user.deactivated", target_type="user_account", target_id=str(person.id),
                              occurred_at=utcnow() - timedelta(days=days_ago), details={}))
    db.session.flush()
    return person


def figures():
    f = read_filter({"months": "24"})
    return {
        "thanks": queries.thanks_by_month(f), "nominations": queries.nominations_by_month(f),
        "values": queries.thanks_by_value(f), "sessions": peer_support.sessions_by_month_and_kind(f),
        "debriefs": peer_support.debriefs_by_month(f), "mentoring": peer_support.mentoring_by_month(f),
        "tables": [[str(c) for row in pages.sessions_by_month(f).table.cells for c in row]],
        "posts": db.session.scalar(select(func.count()).select_from(Post)),
    }


def a_leaver_with_history():
    leaver = UserFactory(display_name="Leah Leaver", email="leah.leaver@example.nhs.uk", staff_number="N123",
                         job_title="Complaints officer", supporter=True)
    colleague, supporter = UserFactory(display_name="Col League"), UserFactory(supporter=True)
    now = utcnow()
    given = thank(leaver, colleague, created_at=now - timedelta(days=40))
    thank(colleague, leaver, created_at=now - timedelta(days=30))
    nominate(make_scheme(), nominator=leaver, nominee=colleague)
    mine = booking(leaver, at=now - timedelta(days=20), supporter=supporter)
    theirs = booking(colleague, at=now - timedelta(days=20), supporter=leaver)
    asked = debrief(leaver, at=now - timedelta(days=20), claimed_after=timedelta(minutes=9), supporter=supporter)
    mentored = mentoring(leaver, asked=now - timedelta(days=50), accepted=now - timedelta(days=49))
    db.session.add(SupporterProfile(user_id=leaver.id, kinds=["clinical_supervision"], about="Ex-paramedic",
                                    experience="Twenty years", phone="07700 900999"))
    db.session.add(OutboundEmail(message_id="<leah@test>", recipient_id=leaver.id, to_address=leaver.email,
                                 kind="recognition.thanked", subject="Col League thanked you", text_body="Hello Leah"))
    db.session.flush()
    return leaver, given, mine, theirs, asked, mentored


def test_a_leaver_past_the_retention_period_is_anonymised_and_every_count_stays(app):
    leaver, given, mine, theirs, asked, mentored = a_leaver_with_history()
    theirs_words = (theirs.reason, theirs.session_notes)
    deactivated(leaver, days_ago=731)
    before = figures()

    assert anonymise_due_leavers(now=utcnow()) == 1
    db.session.expire_all()

    assert figures() == before
    assert (leaver.display_name, leaver.staff_number, leaver.job_title, leaver.password_hash) == (
        FORMER_COLLEAGUE, None, "", None)
    assert leaver.email == f"former-colleague-{leaver.id}@anonymised.invalid"
    assert db.session.get(Post, given.id).what_they_did == WORDS  # the words stay with the person thanked
    assert db.session.get(Post, given.id).author.display_name == FORMER_COLLEAGUE
    mine, theirs = db.session.get(Booking, mine.id), db.session.get(Booking, theirs.id)
    assert (mine.reason, mine.reflections, mine.session_notes) == ("", "", "")
    assert (theirs.reason, theirs.session_notes) == theirs_words  # about the colleague, who is still here
    asked = db.session.get(DebriefRequest, asked.id)
    assert (asked.note, asked.contact_detail, asked.session_note) == (None, None, None)
    assert asked.content_erased_at is not None and asked.claimed_at is not None
    assert db.session.get(Mentoring, mentored.id).goals is None
    profile = db.session.get(SupporterProfile, leaver.id)
    assert (profile.about, profile.phone, profile.is_accepting) == ("", "", False)
    email = db.session.scalar(select(OutboundEmail).where(OutboundEmail.recipient_id == leaver.id))
    assert (email.to_address, email.subject, email.text_body) == (leaver.email, "", "")
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.recipient_id == leaver.id)) == 0
    assert db.session.get(AnonymisedLeaver, leaver.id) is not None
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.leaver_anonymised"))
    assert event.target_id == str(leaver.id)


def test_nobody_is_anonymised_early_twice_or_while_active(app):
    early = deactivated(UserFactory(), days_ago=100)
    back = deactivated(UserFactory(), days_ago=900)
    back.is_active_account = True  # reactivated since
    due = deactivated(UserFactory(), days_ago=800)
    assert [person.id for person, _at in leavers_due(now=utcnow(), days=730)] == [due.id]
    assert anonymise_due_leavers(now=utcnow()) == 1
    assert anonymise_due_leavers(now=utcnow()) == 0
    assert early.display_name != FORMER_COLLEAGUE and back.display_name != FORMER_COLLEAGUE
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "privacy.leaver_anonymised")) == 1


def test_the_latest_deactivation_counts(app):
    person = deactivated(UserFactory(), days_ago=1000)
    record_event("user.deactivated", target=person)  # deactivated again today, after a reactivation
    assert anonymise_due_leavers(now=utcnow()) == 0


def test_the_retention_period_is_a_setting(app, monkeypatch):
    person = deactivated(UserFactory(), days_ago=40)
    assert anonymise_due_leavers(now=utcnow()) == 0
    monkeypatch.setitem(app.config, "LEAVER_RETENTION_DAYS", 30)
    assert anonymise_due_leavers(now=utcnow()) == 1
    assert person.display_name == FORMER_COLLEAGUE


def test_a_deactivation_through_the_admin_service_is_found(app):
    person, admin = UserFactory(), UserFactory(admin=True)
    set_active(user=person, active=False, actor=admin)
    assert anonymise_due_leavers(now=utcnow() + timedelta(days=731)) == 1


def test_the_worker_runs_it_daily_at_two_in_the_morning(app):
    leaver_id = deactivated(UserFactory(display_name="Nightly Leaver"), days_ago=800).id
    db.session.commit()
    moment = run_daily_sweeps(utcnow().date() + timedelta(days=1))
    assert moment > london(utcnow().date() + timedelta(days=1), 2)
    db.session.expire_all()
    assert db.session.get(User, leaver_id).display_name == FORMER_COLLEAGUE


def test_each_days_run_acts_on_its_own_day_so_a_late_run_does_what_that_day_would_have(app):
    """The job for a day counts back from 02:00 on that day, not from when a worker got to it: a run for three days
    ago, done now, leaves someone who only became due since then alone (the later days' runs take them)."""
    from portal.privacy.jobs import ANONYMISE, anonymise_leavers

    person = deactivated(UserFactory(), days_ago=731)
    today = ANONYMISE.latest_due(utcnow())
    three_days_ago = ANONYMISE.previous_period(ANONYMISE.previous_period(ANONYMISE.previous_period(today)))
    anonymise_leavers({"period": three_days_ago}, utcnow())
    assert person.display_name != FORMER_COLLEAGUE
    anonymise_leavers({"period": today}, utcnow())
    assert person.display_name == FORMER_COLLEAGUE
    anonymise_leavers({"period": today}, utcnow())  # the same day again: nothing more happens
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "privacy.leaver_anonymised")) == 1
