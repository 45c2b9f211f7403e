"""De-brief services: routing up the tree, claims, every transition, escalation and follow-ups through the worker,
and retention."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.common.audit import AuditEvent
from portal.common.errors import Conflict, InvalidTransition
from portal.db import utcnow
from portal.debriefs.models import DebriefRequest, DebriefSettings, DebriefState, RecipientReason
from portal.debriefs.services import (
    claim_request,
    close_request,
    current_settings,
    erase_old_content,
    record_check_in,
    record_held,
    save_settings,
)
from portal.extensions import db
from portal.notifications.models import Job, JobStatus, Notification, OutboundEmail
from portal.notifications.worker import run_once
from tests.debriefs.factories import CONTACT, NOTE, SESSION_NOTE, ask, lead_of, on_duty, tree
from tests.factories import UserFactory
from tests.schedule import run_daily_sweeps

pytestmark = pytest.mark.usefixtures("app_ctx")


def notified(user_or_id) -> list[Notification]:
    user_id = getattr(user_or_id, "id", user_or_id)
    return list(db.session.scalars(select(Notification).where(Notification.recipient_id == user_id)
                                   .order_by(Notification.id)))


def fetch(request_id: int) -> DebriefRequest:
    db.session.expire_all()
    return db.session.get(DebriefRequest, request_id)


def test_a_request_goes_to_the_duty_supporters_of_the_persons_unit_without_saying_what_happened():
    t = tree()
    alex, bo = on_duty(t.north, display_name="Alex Duty"), on_duty(t.north, display_name="Bo Duty")
    elsewhere = on_duty(t.pals)
    requester = UserFactory(unit=t.north)
    request = ask(requester)
    assert request.state == DebriefState.OPEN
    assert {r.user_id for r in request.recipients} == {alex.id, bo.id}
    assert notified(elsewhere) == []
    [notice] = notified(alex)
    assert notice.subject == "Someone in North team has asked for a de-brief"
    emails = db.session.scalars(select(OutboundEmail).where(OutboundEmail.recipient_id == alex.id)).all()
    for text in [notice.subject, notice.body, *[e.text_body + e.html_body + e.subject for e in emails]]:
        assert NOTE not in text and CONTACT not in text and "ereavement" not in text


def test_routing_walks_up_the_tree_to_the_nearest_unit_with_anyone_on_duty():
    t = tree()
    at_pals = on_duty(t.pals)
    at_trust = on_duty(t.trust)
    request = ask(UserFactory(unit=t.north))
    assert {r.user_id for r in request.recipients} == {at_pals.id}
    assert request.routed_unit_id == t.pals.id
    assert notified(at_trust) == []


def test_a_duty_supporter_is_never_asked_to_debrief_themselves():
    t = tree()
    me = on_duty(t.north, unit=t.north)
    other = on_duty(t.pals)
    request = ask(me)
    assert {r.user_id for r in request.recipients} == {other.id}


def test_nobody_on_duty_anywhere_goes_to_hrs_named_contact():
    t = tree()
    contact = UserFactory(supporter=True, display_name="Wellbeing Lead")
    db.session.add(DebriefSettings(id=1, signposting="Call 999", fallback_contact_id=contact.id))
    db.session.flush()
    request = ask(UserFactory(unit=t.north))
    assert [(r.user_id, r.reason) for r in request.recipients] == [(contact.id, RecipientReason.FALLBACK)]
    assert len(notified(contact)) == 1


def test_without_a_named_contact_hr_is_told_so_nothing_dead_ends():
    t = tree()
    hr = UserFactory(hr=True)
    request = ask(UserFactory(unit=t.north))
    assert [r.user_id for r in request.recipients] == [hr.id]
    [notice] = notified(hr)
    assert "nobody has picked it up" in notice.subject and notice.url == "/debriefs/rota"


def test_one_supporter_claims_and_the_second_is_told_who():
    t = tree()
    alex, bo = on_duty(t.north, display_name="Alex Duty"), on_duty(t.north, display_name="Bo Duty")
    requester = UserFactory(unit=t.north)
    request = ask(requester)
    claim_request(request=request, supporter=alex)
    assert request.state == DebriefState.CLAIMED and request.claimed_by_id == alex.id
    with pytest.raises(Conflict, match="Already claimed by Alex Duty"):
        claim_request(request=request, supporter=bo)
    assert fetch(request.id).claimed_by_id == alex.id
    assert "Alex Duty has picked up your de-brief request" in [n.subject for n in notified(requester)]


def test_every_transition_moves_only_from_the_expected_state():
    t = tree()
    alex = on_duty(t.north)
    request = ask(UserFactory(unit=t.north))
    with pytest.raises(InvalidTransition):
        record_held(request=request, supporter=alex)
    with pytest.raises(InvalidTransition):
        close_request(request=request, supporter=alex)
    claim_request(request=request, supporter=alex)
    with pytest.raises(InvalidTransition):
        record_check_in(request=request, supporter=alex)
    record_held(request=request, supporter=alex, session_note=SESSION_NOTE)
    assert request.state == DebriefState.HELD and request.session_note == SESSION_NOTE
    with pytest.raises(InvalidTransition):
        close_request(request=request, supporter=alex)
    with pytest.raises(InvalidTransition, match="it is now"):
        record_held(request=request, supporter=alex)
    record_check_in(request=request, supporter=alex)
    record_check_in(request=request, supporter=alex)
    assert request.state == DebriefState.FOLLOW_UPS and request.check_in_count == 2
    close_request(request=request, supporter=alex)
    assert request.state == DebriefState.CLOSED
    with pytest.raises(InvalidTransition):
        record_check_in(request=request, supporter=alex)
    pending = db.session.scalars(select(Job).where(Job.dedupe_key.startswith(f"debrief:{request.id}:"),
                                                   Job.status == JobStatus.PENDING)).all()
    assert pending == []


def test_unclaimed_past_its_time_escalates_one_level_up_and_to_the_units_lead():
    t = tree()
    near = on_duty(t.north)
    wider = on_duty(t.pals, display_name="PALS Duty")
    top = on_duty(t.trust)
    lead = lead_of(t.north, display_name="Team Lead")
    request = ask(UserFactory(unit=t.north), now=utcnow())
    request_id, respond_by = request.id, request.respond_by
    near, wider, top, lead = near.id, wider.id, top.id, lead.id
    db.session.commit()
    run_once(now=respond_by - timedelta(minutes=1))
    assert {r.user_id for r in fetch(request_id).recipients} == {near}
    run_once(now=respond_by + timedelta(minutes=1))
    request = fetch(request_id)
    assert request.escalation_level == 1
    assert {r.user_id: r.reason for r in request.recipients} == {
        near: RecipientReason.DUTY, wider: RecipientReason.ESCALATION, lead: RecipientReason.LEAD}
    assert notified(wider)[0].subject == "Someone in North team has asked for a de-brief"
    assert "nobody has picked it up" in notified(lead)[0].subject
    assert notified(top) == []
    # Still unclaimed: the next step goes one more level up.
    run_once(now=request.respond_by + timedelta(minutes=1))
    assert top in {r.user_id for r in fetch(request_id).recipients}


def test_escalation_at_the_top_reaches_the_named_contact_and_a_claim_stops_it():
    t = tree()
    near = on_duty(t.north)
    contact = UserFactory(supporter=True)
    db.session.add(DebriefSettings(id=1, signposting="Call 999", fallback_contact_id=contact.id,
                                   claim_minutes_this_shift=30))
    db.session.flush()
    request = ask(UserFactory(unit=t.north), now=utcnow())
    assert request.respond_by - request.created_at == timedelta(minutes=30)
    first_id = request.id
    second = ask(UserFactory(unit=t.north), now=utcnow())
    claim_request(request=second, supporter=near)
    second_id, respond_by = second.id, request.respond_by
    near, contact = near.id, contact.id
    db.session.commit()
    run_once(now=respond_by + timedelta(minutes=1))
    assert contact in {r.user_id for r in fetch(first_id).recipients}
    claimed = fetch(second_id)
    assert claimed.escalation_level == 0 and [r.user_id for r in claimed.recipients] == [near]


def test_follow_up_reminders_come_at_72_hours_and_a_month():
    t = tree()
    alex = on_duty(t.north)
    request = ask(UserFactory(unit=t.north))
    claim_request(request=request, supporter=alex)
    held_at = utcnow()
    record_held(request=request, supporter=alex, now=held_at)
    request_id, alex_id = request.id, alex.id
    db.session.commit()
    run_once(now=held_at + timedelta(hours=71))
    assert [n.subject for n in notified(alex_id) if "check-in" in n.subject] == []
    run_once(now=held_at + timedelta(hours=72, minutes=1))
    run_once(now=held_at + timedelta(hours=73))  # running again tells nobody twice
    subjects = [n.subject for n in db.session.scalars(select(Notification).where(Notification.recipient_id == alex_id))]
    assert subjects.count("A 72-hour check-in is due") == 1
    assert "A 1-month check-in is due" not in subjects
    run_once(now=held_at + timedelta(days=30, minutes=1))
    subjects = [n.subject for n in db.session.scalars(select(Notification).where(Notification.recipient_id == alex_id))]
    assert "A 1-month check-in is due" in subjects
    assert fetch(request_id).state == DebriefState.HELD


def _closed(requester, supporter, *, closed_at):
    request = ask(requester, now=closed_at - timedelta(days=5))
    claim_request(request=request, supporter=supporter, now=closed_at - timedelta(days=5))
    record_held(request=request, supporter=supporter, session_note=SESSION_NOTE, now=closed_at - timedelta(days=4))
    record_check_in(request=request, supporter=supporter, now=closed_at - timedelta(days=1))
    close_request(request=request, supporter=supporter, now=closed_at)
    return request.id


def test_the_scheduled_sweep_erases_the_words_of_requests_closed_longer_ago_than_the_period(app, monkeypatch):
    """The period comes from PEER_SUPPORT_RETENTION_DAYS while HR has saved none; it is measured from closing."""
    monkeypatch.setitem(app.config, "PEER_SUPPORT_RETENTION_DAYS", 30)
    t = tree()
    alex = on_duty(t.north)
    sweep_day = (utcnow() + timedelta(days=2)).date()
    long_closed = _closed(UserFactory(unit=t.north), alex, closed_at=utcnow() - timedelta(days=40))
    just_closed = _closed(UserFactory(unit=t.north), alex, closed_at=utcnow() - timedelta(days=20))
    old_but_open = ask(UserFactory(unit=t.north), now=utcnow() - timedelta(days=400))
    claim_request(request=old_but_open, supporter=alex, now=utcnow() - timedelta(days=399))
    open_id = old_but_open.id
    db.session.commit()
    run_daily_sweeps(sweep_day)
    erased = fetch(long_closed)
    assert (erased.note, erased.kind, erased.contact_detail, erased.session_note) == (None, None, None, None)
    assert erased.content_erased_at is not None and erased.closed_at is not None  # the row and its dates stay
    assert fetch(just_closed).note == NOTE  # closed 22 days before the sweep: inside 30
    assert fetch(open_id).note == NOTE  # still being looked after, however old
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "debrief.content_erased")).details == {
        "count": 1}


def test_hr_s_period_on_the_settings_page_takes_precedence(app, monkeypatch):
    monkeypatch.setitem(app.config, "PEER_SUPPORT_RETENTION_DAYS", 30)
    t = tree()
    alex = on_duty(t.north)
    hr = UserFactory(hr=True)
    settings = current_settings()
    save_settings(actor=hr, signposting=settings.signposting, fallback_contact_id=None,
                  claim_minutes_this_shift=60, claim_minutes_72_hours=480, claim_minutes_this_week=1440,
                  retention_days=60)
    request_id = _closed(UserFactory(unit=t.north), alex, closed_at=utcnow() - timedelta(days=40))
    db.session.commit()
    run_daily_sweeps((utcnow() + timedelta(days=2)).date())
    assert fetch(request_id).note == NOTE  # 42 days: kept under HR's 60
    assert erase_old_content(now=utcnow() + timedelta(days=25)) == 1  # and erased once past them
