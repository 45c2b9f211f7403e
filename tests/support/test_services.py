"""Booking rules, without HTTP: places, idempotency, limits, cancel, reschedule, waitlist, reminders, invites."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.common.errors import Conflict, DomainError, InvalidTransition, NotFound
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import EmailAttachment, Job, JobStatus, Notification, OutboundEmail
from portal.notifications.worker import run_once
from portal.support import jobs
from portal.support.models import Booking, BookingStatus, SupportKind, SupportSession, WaitlistEntry
from portal.support.profiles import remove_availability, save_profile
from portal.support.queries import open_slots
from portal.support.services import (
    SlotTaken,
    accept_offer,
    book_slot,
    cancel_booking,
    confirm_booking,
    expire_offer,
    join_waitlist,
    mark_attendance,
    remind_booking,
    reschedule_booking,
)
from tests.factories import UserFactory
from tests.support.factories import key, london, make_supporter, next_weekday, one_off, weekly

pytestmark = pytest.mark.usefixtures("app_ctx")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TUESDAY = next_weekday(NOW.date(), 1)


def book(booker, profile, starts_at, kind=SupportKind.CLINICAL, **kwargs):
    return book_slot(booker=booker, supporter_id=profile.user_id, kind=str(kind), starts_at=starts_at,
                     idempotency_key=kwargs.pop("idempotency_key", key()), now=NOW, **kwargs)


@pytest.fixture
def supporter():
    profile = make_supporter()
    weekly(profile, weekday=1, start="09:00", end="12:00")
    return profile


def test_a_booking_takes_the_slot_and_it_is_no_longer_offered(supporter):
    staff = UserFactory()
    start = london(TUESDAY, "09:00")
    booking = book(staff, supporter, start, reason="Caller threatened to harm himself")
    assert booking.status == BookingStatus.CONFIRMED and booking.ends_at == start + timedelta(minutes=50)
    assert start not in [s.starts_at for s in open_slots(now=NOW, supporter_id=supporter.user_id)]
    with pytest.raises(SlotTaken):
        book(UserFactory(), supporter, start)


def test_the_same_idempotency_key_books_once(supporter):
    staff, same = UserFactory(), key()
    first = book(staff, supporter, london(TUESDAY, "09:00"), idempotency_key=same)
    again = book(staff, supporter, london(TUESDAY, "09:00"), idempotency_key=same)
    assert again.id == first.id
    assert db.session.scalar(select(db.func.count()).select_from(Booking)) == 1


def test_overlapping_one_off_and_weekly_slots_cannot_both_be_booked(supporter):
    clash = one_off(supporter, starts_at=london(TUESDAY, "09:30"), minutes=60)
    book(UserFactory(), supporter, clash.starts_at)
    offered = [s.starts_at for s in open_slots(now=NOW, supporter_id=supporter.user_id, on_day=TUESDAY)]
    assert london(TUESDAY, "09:00") not in offered and london(TUESDAY, "10:00") not in offered
    with pytest.raises(SlotTaken):
        book(UserFactory(), supporter, london(TUESDAY, "09:00"))


def test_slots_the_rules_do_not_offer_cannot_be_booked(supporter):
    with pytest.raises(SlotTaken):
        book(UserFactory(), supporter, london(TUESDAY, "09:05"))
    with pytest.raises(SlotTaken):  # wrong kind
        book(UserFactory(), supporter, london(TUESDAY, "09:00"), kind=SupportKind.RESTORATIVE)
    with pytest.raises(DomainError, match="difficult contact"):  # de-briefs are asked for, never booked
        book(UserFactory(), supporter, london(TUESDAY, "09:00"), kind=SupportKind.DEBRIEF)


def test_minimum_notice_horizon_and_days_off_hide_slots():
    from portal.support.models import AvailabilityException

    profile = make_supporter(min_notice_hours=48, horizon_days=14)
    weekly(profile, weekday=NOW.weekday(), start="13:00", end="14:00")  # today, within notice
    weekly(profile, weekday=1, start="09:00", end="10:00")
    db.session.add(AvailabilityException(supporter_id=profile.user_id, first_day=TUESDAY, last_day=TUESDAY,
                                         label="Training"))
    slots = open_slots(now=NOW, supporter_id=profile.user_id)
    days = {s.local_day for s in slots}
    assert NOW.date() not in days and TUESDAY not in days
    assert max(s.starts_at for s in slots) < NOW + timedelta(days=14)


def test_needs_confirmation_then_confirmed_once():
    profile = make_supporter(needs_confirmation=True)
    weekly(profile, weekday=1, start="09:00", end="10:00")
    booking = book(UserFactory(), profile, london(TUESDAY, "09:00"))
    assert booking.status == BookingStatus.REQUESTED
    confirm_booking(booking=booking, actor=profile.user)
    assert booking.status == BookingStatus.CONFIRMED and booking.sequence == 1
    with pytest.raises(InvalidTransition):
        confirm_booking(booking=booking, actor=profile.user)


def test_group_sessions_never_go_over_capacity():
    profile = make_supporter()
    weekly(profile, weekday=1, start="14:00", end="15:00", kind=SupportKind.GROUP, capacity=3)
    start = london(TUESDAY, "14:00")
    for _ in range(3):
        book(UserFactory(), profile, start, kind=SupportKind.GROUP)
    with pytest.raises(SlotTaken):
        book(UserFactory(), profile, start, kind=SupportKind.GROUP)
    session = db.session.scalar(select(SupportSession))
    assert (session.booked_count, session.capacity) == (3, 3)
    full = open_slots(now=NOW, supporter_id=profile.user_id, include_full=True, on_day=TUESDAY)
    assert [(s.starts_at, s.places_left) for s in full] == [(start, 0)]
    assert open_slots(now=NOW, supporter_id=profile.user_id, on_day=TUESDAY) == []


def test_per_person_limit_on_future_bookings(app, supporter, monkeypatch):
    monkeypatch.setitem(app.config, "SUPPORT_MAX_FUTURE_BOOKINGS", 2)
    staff = UserFactory()
    book(staff, supporter, london(TUESDAY, "09:00"))
    book(staff, supporter, london(TUESDAY, "10:00"))
    with pytest.raises(DomainError, match="already have 2 sessions"):
        book(staff, supporter, london(TUESDAY, "11:00"))


def test_nobody_books_themselves(supporter):
    with pytest.raises(DomainError):
        book(supporter.user, supporter, london(TUESDAY, "09:00"))


def test_cancel_frees_the_slot_and_cancels_reminders(supporter):
    booking = book(UserFactory(), supporter, london(TUESDAY, "09:00"))
    assert db.session.scalar(select(Job).where(Job.dedupe_key == f"booking:{booking.id}:reminder")).status == "pending"
    cancel_booking(booking=booking, actor=booking.booker, reason="Off sick", now=NOW)
    assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason == "Off sick"
    assert db.session.scalar(select(Job).where(Job.dedupe_key == f"booking:{booking.id}:reminder")).status == \
        JobStatus.CANCELLED
    assert london(TUESDAY, "09:00") in [s.starts_at for s in open_slots(now=NOW, supporter_id=supporter.user_id)]
    book(UserFactory(), supporter, london(TUESDAY, "09:00"))  # bookable again
    with pytest.raises(InvalidTransition):
        cancel_booking(booking=booking, actor=booking.booker, reason="again", now=NOW)


def test_reschedule_links_old_and_new_and_keeps_the_calendar_uid(supporter):
    old = book(UserFactory(), supporter, london(TUESDAY, "09:00"), reason="Hard week")
    new = reschedule_booking(booking=old, actor=old.booker, starts_at=london(TUESDAY, "11:00"), reason="Clinic moved",
                             idempotency_key=key(), now=NOW)
    assert old.status == BookingStatus.MOVED and new.rescheduled_from_id == old.id
    assert old.rescheduled_to.id == new.id
    assert new.calendar_uid == old.calendar_uid and new.sequence > old.sequence - 1
    assert new.reason == "Hard week"
    assert london(TUESDAY, "09:00") in [s.starts_at for s in open_slots(now=NOW, supporter_id=supporter.user_id)]


def test_a_failed_reschedule_keeps_the_original(supporter):
    old = book(UserFactory(), supporter, london(TUESDAY, "09:00"))
    book(UserFactory(), supporter, london(TUESDAY, "10:00"))
    with pytest.raises(SlotTaken), db.session.begin_nested():
        reschedule_booking(booking=old, actor=old.booker, starts_at=london(TUESDAY, "10:00"), reason="x",
                           idempotency_key=key(), now=NOW)
    db.session.expire_all()
    assert db.session.get(Booking, old.id).status == BookingStatus.CONFIRMED


def test_freed_group_place_is_offered_to_the_first_on_the_waitlist_with_a_hold():
    profile = make_supporter()
    weekly(profile, weekday=1, start="14:00", end="15:00", kind=SupportKind.GROUP, capacity=2)
    start = london(TUESDAY, "14:00")
    first = book(UserFactory(), profile, start, kind=SupportKind.GROUP)
    book(UserFactory(), profile, start, kind=SupportKind.GROUP)
    session = db.session.scalar(select(SupportSession))
    waiting, later = UserFactory(), UserFactory()
    join_waitlist(user=waiting, session=session, now=NOW)
    join_waitlist(user=later, session=session, now=NOW + timedelta(minutes=1))
    cancel_booking(booking=first, actor=first.booker, reason="Clinic", now=NOW)
    offer = db.session.scalar(select(Booking).where(Booking.booker_id == waiting.id))
    assert offer.status == BookingStatus.OFFERED and offer.hold_expires_at > NOW
    db.session.expire_all()
    assert db.session.get(SupportSession, session.id).booked_count == 2  # the place is held, not on sale
    assert db.session.scalar(select(Notification).where(Notification.recipient_id == waiting.id,
                                                        Notification.kind == "support.offer"))
    accept_offer(booking=offer, actor=waiting, now=NOW + timedelta(minutes=5))
    assert offer.status == BookingStatus.CONFIRMED
    assert db.session.scalars(select(WaitlistEntry.user_id)).all() == [later.id]


def test_an_offer_not_taken_in_time_goes_to_the_next_person_and_the_first_is_told():
    """Runs on any date: every step is given the test's clock (NOW), the worker included."""
    profile = make_supporter()
    weekly(profile, weekday=1, start="14:00", end="15:00", kind=SupportKind.GROUP, capacity=2)
    start = london(TUESDAY, "14:00")
    first = book(UserFactory(), profile, start, kind=SupportKind.GROUP)
    book(UserFactory(), profile, start, kind=SupportKind.GROUP)
    session = db.session.scalar(select(SupportSession))
    waiting, later = UserFactory(), UserFactory()
    join_waitlist(user=waiting, session=session, now=NOW)
    join_waitlist(user=later, session=session, now=NOW + timedelta(seconds=1))
    cancel_booking(booking=first, actor=first.booker, reason="Clinic", now=NOW)
    offer = db.session.scalar(select(Booking).where(Booking.booker_id == waiting.id))
    assert offer.hold_expires_at == NOW + timedelta(hours=4)
    [offered] = db.session.scalars(select(Notification).where(Notification.recipient_id == waiting.id,
                                                              Notification.kind == "support.offer")).all()
    # Says until when, in London time (the year is shown once 2026 is over).
    assert re.search(r"held for you until Mon 23 Nov( 2026)?, 13:00;", offered.body), offered.body
    offer_id, waiting_id, later_id = offer.id, waiting.id, later.id
    run_once(now=offer.hold_expires_at + timedelta(seconds=1))
    assert db.session.get(Booking, offer_id).status == BookingStatus.CANCELLED
    second = db.session.scalar(select(Booking).where(Booking.booker_id == later_id))
    assert second.status == BookingStatus.OFFERED
    told = db.session.scalars(select(Notification.subject).where(Notification.recipient_id == waiting_id)
                              .order_by(Notification.id)).all()
    assert told[-1] == "The place held for you has gone"
    with pytest.raises(InvalidTransition):
        accept_offer(booking=db.session.get(Booking, offer_id), actor=db.session.get(type(later), waiting_id),
                     now=NOW + timedelta(hours=5))


def test_attendance_only_after_the_start(supporter):
    booking = book(UserFactory(), supporter, london(TUESDAY, "09:00"))
    with pytest.raises(DomainError):
        mark_attendance(booking=booking, actor=supporter.user, attended=True, now=NOW)
    mark_attendance(booking=booking, actor=supporter.user, attended=True, now=booking.starts_at)
    assert booking.status == BookingStatus.ATTENDED


def test_the_reminder_job_tells_both_and_never_the_reason(supporter):
    booking = book(UserFactory(), supporter, london(TUESDAY, "09:00"), reason="SECRET-REASON")
    people = {booking.booker_id, booking.supporter_id}
    run_once(now=booking.starts_at - timedelta(hours=23))
    reminders = db.session.scalars(select(Notification).where(Notification.kind == "support.reminder")).all()
    assert {n.recipient_id for n in reminders} == people
    bodies = " ".join(e.text_body + e.html_body + e.subject for e in db.session.scalars(select(OutboundEmail)))
    assert "SECRET-REASON" not in bodies


def _ics(recipient_id: int, filename: str) -> Calendar:
    attachment = db.session.scalars(select(EmailAttachment).join(OutboundEmail).where(
        OutboundEmail.recipient_id == recipient_id, EmailAttachment.filename == filename)
        .order_by(EmailAttachment.id.desc())).first()
    assert attachment is not None and attachment.content_type.startswith("text/calendar")
    assert b"SECRET-REASON" not in attachment.content
    return Calendar.from_ical(attachment.content)


def test_invites_carry_a_stable_uid_a_rising_sequence_and_the_right_method(supporter):
    staff = UserFactory()
    booking = book(staff, supporter, london(TUESDAY, "09:00"), reason="SECRET-REASON")
    invite = _ics(staff.id, "invite.ics")
    event = invite.walk("VEVENT")[0]
    assert str(invite["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == booking.calendar_uid and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == booking.starts_at
    moved = reschedule_booking(booking=booking, actor=staff, starts_at=london(TUESDAY, "10:00"), reason="SECRET-REASON",
                               idempotency_key=key(), now=NOW)
    update = _ics(staff.id, "invite.ics").walk("VEVENT")[0]
    assert str(update["UID"]) == booking.calendar_uid and int(update["SEQUENCE"]) == moved.sequence > 0
    cancel_booking(booking=moved, actor=staff, reason="SECRET-REASON", now=NOW)
    for person in (staff.id, supporter.user_id):
        cancel = _ics(person, "cancel.ics")
        event = cancel.walk("VEVENT")[0]
        assert str(cancel["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == booking.calendar_uid and int(event["SEQUENCE"]) == moved.sequence
        assert moved.sequence > int(update["SEQUENCE"])


def test_supporters_only_add_hours_for_what_they_offer():
    from datetime import time

    from portal.support.profiles import add_weekly_hours

    profile = make_supporter(kinds=[SupportKind.MENTORING])
    with pytest.raises(DomainError, match="to what you offer first"):
        add_weekly_hours(supporter=profile.user, kind="debrief", weekday=1, start_time=time(9), end_time=time(10))
    with pytest.raises(DomainError, match="at least 2"):
        add_weekly_hours(supporter=make_supporter().user, kind="group_supervision", weekday=1, start_time=time(9),
                         end_time=time(10), capacity=1)


def test_a_one_off_session_at_a_time_the_clocks_skip_is_refused():
    from datetime import date, time

    from portal.support.profiles import add_one_off

    profile = make_supporter()
    with pytest.raises(DomainError, match="clocks go forward"):
        add_one_off(supporter=profile.user, kind="clinical_supervision", day=date(2027, 3, 28), start_time=time(1, 30),
                    minutes=60, now=NOW)
    autumn = add_one_off(supporter=profile.user, kind="clinical_supervision", day=date(2027, 10, 31),
                         start_time=time(9), minutes=60, now=NOW)
    assert autumn.starts_at == datetime(2027, 10, 31, 9, 0, tzinfo=UTC)  # GMT again: 09:00 London is 09:00 UTC


def test_a_form_key_used_by_someone_else_is_refused(supporter):
    same = key()
    book(UserFactory(), supporter, london(TUESDAY, "09:00"), idempotency_key=same)
    with pytest.raises(Conflict, match="already used"):
        book(UserFactory(), supporter, london(TUESDAY, "10:00"), idempotency_key=same)


def test_moving_twice_with_one_form_moves_once_and_offered_places_are_not_moved(supporter):
    old = book(UserFactory(), supporter, london(TUESDAY, "09:00"))
    same = key()
    new = reschedule_booking(booking=old, actor=old.booker, starts_at=london(TUESDAY, "10:00"), reason="Clinic",
                             idempotency_key=same, now=NOW)
    again = reschedule_booking(booking=old, actor=old.booker, starts_at=london(TUESDAY, "10:00"), reason="Clinic",
                               idempotency_key=same, now=NOW)
    assert again.id == new.id
    new.status = BookingStatus.OFFERED
    db.session.flush()
    with pytest.raises(InvalidTransition):
        reschedule_booking(booking=new, actor=new.booker, starts_at=london(TUESDAY, "11:00"), reason="Clinic",
                           idempotency_key=key(), now=NOW)


def test_nobody_waits_for_their_own_session_and_joining_twice_is_one_entry():
    profile = make_supporter()
    weekly(profile, weekday=1, start="14:00", end="15:00", kind=SupportKind.GROUP, capacity=2)
    book(UserFactory(), profile, london(TUESDAY, "14:00"), kind=SupportKind.GROUP)
    session = db.session.scalar(select(SupportSession))
    with pytest.raises(DomainError, match="with yourself"):
        join_waitlist(user=profile.user, session=session, now=NOW)
    person = UserFactory()
    assert join_waitlist(user=person, session=session, now=NOW).id == join_waitlist(user=person, session=session).id


def _offer_from_the_waitlist():
    """A full group session three days ahead (relative to now: the hold clock is real time), its first member
    cancelled, so the first of two people waiting holds the place."""
    day = (utcnow() + timedelta(days=3)).date()
    profile = make_supporter()
    weekly(profile, weekday=day.weekday(), start="14:00", end="15:00", kind=SupportKind.GROUP, capacity=2)
    first, _second = (book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind=SupportKind.GROUP,
                                starts_at=london(day, "14:00"), idempotency_key=key()) for _ in range(2))
    session = db.session.get(SupportSession, first.session_id)
    waiting, later = UserFactory(), UserFactory()
    join_waitlist(user=waiting, session=session)
    join_waitlist(user=later, session=session, now=utcnow() + timedelta(seconds=1))
    cancel_booking(booking=first, actor=first.booker, reason="Clinic")
    offer = db.session.scalar(select(Booking).where(Booking.booker_id == waiting.id))
    return offer, later


def test_the_hold_job_passes_an_untaken_place_to_the_next_person():
    offer, later = _offer_from_the_waitlist()
    jobs.hold_expiry({"booking_id": offer.id}, offer.hold_expires_at - timedelta(seconds=1))
    assert offer.status == BookingStatus.OFFERED  # not yet
    jobs.hold_expiry({"booking_id": offer.id}, offer.hold_expires_at + timedelta(seconds=1))
    assert offer.status == BookingStatus.CANCELLED
    assert db.session.scalar(select(Booking).where(Booking.booker_id == later.id)).status == BookingStatus.OFFERED
    jobs.hold_expiry({"booking_id": 10**9}, utcnow())  # a booking that has gone: nothing to do


def test_a_place_taken_in_time_is_left_alone_by_the_hold_job_and_reminded():
    offer, later = _offer_from_the_waitlist()
    accept_offer(booking=offer, actor=offer.booker)
    assert not expire_offer(booking=offer, now=offer.starts_at)
    assert offer.status == BookingStatus.CONFIRMED
    assert db.session.scalar(select(Booking).where(Booking.booker_id == later.id)) is None
    assert remind_booking(booking=offer)
    cancel_booking(booking=offer, actor=offer.booker, reason="Clinic")
    assert not remind_booking(booking=offer)  # a cancelled session is not reminded


def test_removing_availability_twice_says_it_has_gone():
    profile = make_supporter()
    rule = weekly(profile, weekday=1, start="09:00", end="10:00")
    remove_availability(supporter=profile.user, item=rule)
    with pytest.raises(NotFound, match="already removed"):
        remove_availability(supporter=profile.user, item=rule)


def test_profiles_take_known_fields_from_supporters_only():
    supporter = UserFactory(supporter=True)
    with pytest.raises(TypeError):
        save_profile(supporter=supporter, colour="blue")
    with pytest.raises(DomainError, match="at least one kind"):
        save_profile(supporter=supporter, kinds=[])
    with pytest.raises(DomainError, match="Only supporters"):
        save_profile(supporter=UserFactory(), about="Hello")
    assert save_profile(supporter=supporter, about="Hello").horizon_days == 28  # the defaults, then the change
