"""Mentoring services: every transition, capacity in the database, lapse through the worker, retention."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.db import utcnow
from portal.extensions import db
from portal.mentoring.models import EndReason, Mentoring, MentoringState, MentorLoad
from portal.mentoring.services import (
    accept_request,
    decline_request,
    end_mentoring,
    erase_old_content,
    record_agreement,
    record_first_check,
    request_mentor,
)
from portal.notifications.models import Notification
from portal.notifications.worker import run_once
from tests.factories import UserFactory
from tests.mentoring.factories import AGREED, CHECK, GOALS, mentor
from tests.schedule import run_daily_sweeps

pytestmark = pytest.mark.usefixtures("app_ctx")


def subjects(user_id: int) -> list[str]:
    return list(db.session.scalars(select(Notification.subject).where(Notification.recipient_id == user_id)))


def load(mentor_id: int) -> int:
    db.session.expire_all()
    return db.session.get(MentorLoad, mentor_id).active_mentees


def test_request_accept_agree_check_end():
    m = mentor(display_name="Maya Mentor")
    mentee = UserFactory(display_name="Sam Mentee")
    mentoring = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    assert mentoring.state == MentoringState.REQUESTED
    assert subjects(m.id) == ["Sam Mentee has asked you to be their mentor"]
    assert all(GOALS not in s for s in subjects(m.id))
    with pytest.raises(Conflict, match="already asked"):
        request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    with pytest.raises(InvalidTransition):
        record_agreement(mentoring=mentoring, actor=mentee, goals=AGREED, frequency="Fortnightly", length="6 months")
    accept_request(mentoring=mentoring, mentor=m)
    assert mentoring.state == MentoringState.ACCEPTED and load(m.id) == 1
    assert "Maya Mentor has agreed to mentor you" in subjects(mentee.id)
    with pytest.raises(InvalidTransition):
        decline_request(mentoring=mentoring, mentor=m)
    with pytest.raises(InvalidTransition):
        record_first_check(mentoring=mentoring, actor=mentee, note=CHECK)
    record_agreement(mentoring=mentoring, actor=mentee, goals=AGREED, frequency="Fortnightly", length="6 months")
    assert mentoring.state == MentoringState.ACTIVE and mentoring.agreement_goals == AGREED
    record_first_check(mentoring=mentoring, actor=m, note=CHECK)
    with pytest.raises(InvalidTransition, match="already been recorded"):
        record_first_check(mentoring=mentoring, actor=m, note=CHECK)
    end_mentoring(mentoring=mentoring, actor=mentee, reason=EndReason.GOALS_MET)
    assert mentoring.state == MentoringState.ENDED and mentoring.end_reason == "goals_met" and load(m.id) == 0
    with pytest.raises(InvalidTransition):
        end_mentoring(mentoring=mentoring, actor=mentee, reason=EndReason.OTHER)


def test_decline_points_the_mentee_at_other_mentors():
    m = mentor(display_name="Maya Mentor")
    mentee = UserFactory()
    mentoring = decline_request(mentoring=request_mentor(mentee=mentee, mentor=m, goals=GOALS), mentor=m)
    assert mentoring.state == MentoringState.DECLINED
    note = db.session.scalar(select(Notification).where(Notification.recipient_id == mentee.id))
    assert note.subject == "Maya Mentor cannot mentor you at the moment" and note.url == "/mentoring/mentors"


def test_only_mentors_offering_mentoring_can_be_asked():
    with pytest.raises(DomainError, match="not taking mentees"):
        request_mentor(mentee=UserFactory(), mentor=UserFactory(supporter=True), goals=GOALS)
    with pytest.raises(DomainError, match="not taking mentees"):
        request_mentor(mentee=UserFactory(), mentor=mentor(accepting=False), goals=GOALS)
    m = mentor()
    with pytest.raises(DomainError, match="your own mentor"):
        request_mentor(mentee=m, mentor=m, goals=GOALS)


def test_capacity_is_enforced_by_the_database():
    m = mentor(capacity=1)
    first = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS)
    second = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS)
    accept_request(mentoring=first, mentor=m)
    with pytest.raises(Conflict, match="no space for another mentee"):
        accept_request(mentoring=second, mentor=m)
    db.session.expire_all()
    assert second.state == MentoringState.REQUESTED and load(m.id) == 1  # the refusal changed nothing
    end_mentoring(mentoring=first, actor=m, reason=EndReason.NO_TIME)
    accept_request(mentoring=second, mentor=m)
    assert load(m.id) == 1


def test_an_unanswered_request_lapses_and_the_mentee_is_told(app):
    m = mentor(display_name="Maya Mentor")
    mentee = UserFactory()
    now = utcnow()
    mentoring = request_mentor(mentee=mentee, mentor=m, goals=GOALS, now=now)
    assert mentoring.respond_by == now + timedelta(days=7)
    answered = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS, now=now)
    accept_request(mentoring=answered, mentor=m)
    ids = mentoring.id, answered.id, mentee.id, m.id
    db.session.commit()
    run_once(now=now + timedelta(days=6))
    assert db.session.get(Mentoring, ids[0]).state == MentoringState.REQUESTED
    run_once(now=now + timedelta(days=7, minutes=1))
    assert db.session.get(Mentoring, ids[0]).state == MentoringState.LAPSED
    assert db.session.get(Mentoring, ids[1]).state == MentoringState.ACCEPTED
    note = db.session.scalar(select(Notification).where(Notification.recipient_id == ids[2]))
    assert note.subject == "Your mentoring request to Maya Mentor had no answer"
    assert note.url == f"/mentoring/mentors?exclude={ids[3]}"


def test_the_lapse_time_is_configurable(app, monkeypatch):
    monkeypatch.setitem(app.config, "MENTORING_LAPSE_DAYS", 3)
    now = utcnow()
    mentoring = request_mentor(mentee=UserFactory(), mentor=mentor(), goals=GOALS, now=now)
    assert mentoring.respond_by == now + timedelta(days=3)


def test_the_scheduled_sweep_erases_only_mentorings_that_ended_longer_ago_than_the_period(app, monkeypatch):
    """Measured from when the mentoring ended (or was declined): an active one keeps its agreement, however old."""
    monkeypatch.setitem(app.config, "PEER_SUPPORT_RETENTION_DAYS", 90)
    m = mentor(capacity=5)
    now = utcnow()
    active = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS, now=now - timedelta(days=500))
    accept_request(mentoring=active, mentor=m, now=now - timedelta(days=499))
    record_agreement(mentoring=active, actor=m, goals=AGREED, frequency="Monthly", length="Two years")
    recently_ended = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS, now=now - timedelta(days=400))
    accept_request(mentoring=recently_ended, mentor=m, now=now - timedelta(days=399))
    end_mentoring(mentoring=recently_ended, actor=m, reason=EndReason.GOALS_MET, now=now - timedelta(days=30))
    long_ended = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS, now=now - timedelta(days=300))
    accept_request(mentoring=long_ended, mentor=m, now=now - timedelta(days=299))
    end_mentoring(mentoring=long_ended, actor=m, reason=EndReason.GOALS_MET, now=now - timedelta(days=200))
    declined = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS, now=now - timedelta(days=150))
    decline_request(mentoring=declined, mentor=m, now=now - timedelta(days=149))
    ids = {name: item.id for name, item in [("active", active), ("recent", recently_ended),
                                             ("long", long_ended), ("declined", declined)]}
    db.session.commit()
    run_daily_sweeps((now + timedelta(days=1)).date())
    db.session.expire_all()
    found = {name: db.session.get(Mentoring, ident) for name, ident in ids.items()}
    assert (found["active"].agreement_goals, found["active"].content_erased_at) == (AGREED, None)
    assert found["recent"].goals == GOALS
    assert (found["long"].goals, found["long"].agreement_goals, found["long"].state) == (None, None,
                                                                                          MentoringState.ENDED)
    assert found["declined"].goals is None and found["declined"].content_erased_at is not None
    assert erase_old_content(now=now + timedelta(days=1)) == 0  # a second sweep finds nothing more
