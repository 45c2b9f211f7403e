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
    erase_old_content,
    record_check_in,
    record_held,
)
from portal.extensions import db
from portal.notifications.jobs import schedule_job
from portal.notifications.models import Job, JobStatus, Notification, OutboundEmail
from portal.notifications.worker import run_once
from tests.debriefs.factories import CONTACT, NOTE, SESSION_NOTE, ask, lead_of, on_duty, tree
from tests.factories import UserFactory

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


def test_retention_erases_what_was_written_and_keeps_the_count():
    t = tree()
    alex = on_duty(t.north)
    now = utcnow()
    old = ask(UserFactory(unit=t.north), now=now - timedelta(days=400))
    claim_request(request=old, supporter=alex, now=now - timedelta(days=400))
    record_held(request=old, supporter=alex, session_note=SESSION_NOTE, now=now - timedelta(days=399))
    recent = ask(UserFactory(unit=t.north), now=now - timedelta(days=10))
    old_id, recent_id = old.id, recent.id
    schedule_job(kind="debriefs.retention", run_at=now)
    db.session.commit()
    run_once(now=now)
    old, recent = fetch(old_id), fetch(recent_id)
    assert (old.note, old.kind, old.contact_detail, old.session_note) == (None, None, None, None)
    assert old.content_erased_at is not None and old.claimed_at is not None
    assert recent.note == NOTE
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "debrief.content_erased")) is not None
    assert erase_old_content(now=now) == 0  # idempotent
