"""Who may see and do what with a booking and with a supporter's availability, without HTTP."""

from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.support import policies
from portal.support.models import AvailabilityException, BookingStatus, SupportKind
from portal.support.services import book_slot
from tests.factories import UserFactory
from tests.support.factories import key, london, make_supporter, one_off, weekly

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def booking():
    profile = make_supporter()
    day = (utcnow() + timedelta(days=3)).date()
    weekly(profile, weekday=day.weekday(), start="09:00", end="10:00")
    return book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind=SupportKind.CLINICAL,
                     starts_at=london(day, "09:00"), idempotency_key=key(), reason="Private")


def outsiders():
    return [UserFactory(), UserFactory(hr=True), UserFactory(admin=True), UserFactory(supporter=True)]


def test_only_the_two_people_see_a_booking_and_each_acts_in_their_own_part(booking):
    booker, supporter = booking.booker, booking.supporter
    assert policies.can_view_booking(booker, booking) and policies.can_view_booking(supporter, booking)
    assert not any(policies.can_view_booking(u, booking) for u in outsiders())
    assert policies.can_act_as_booker(booker, booking) and not policies.can_act_as_booker(supporter, booking)
    assert policies.can_act_as_supporter(supporter, booking) and not policies.can_act_as_supporter(booker, booking)
    assert policies.can_cancel(booker, booking) and policies.can_cancel(supporter, booking)
    assert policies.can_reschedule(booker, booking) and not policies.can_reschedule(supporter, booking)
    assert policies.can_join_video_call(booker, booking) and policies.can_join_video_call(supporter, booking)
    assert policies.can_write_reflections(booker, booking) and not policies.can_write_reflections(supporter, booking)
    assert policies.can_write_session_notes(supporter, booking)
    assert not policies.can_write_session_notes(booker, booking)
    for outsider in outsiders():
        assert not any(check(outsider, booking) for check in (
            policies.can_cancel, policies.can_reschedule, policies.can_confirm, policies.can_accept_offer,
            policies.can_mark_attendance, policies.can_write_reflections, policies.can_write_session_notes,
            policies.can_join_video_call, policies.can_read_session_notes_as_booker))


def test_buttons_follow_the_state_and_the_clock(booking):
    booker, supporter = booking.booker, booking.supporter
    assert not policies.can_confirm(supporter, booking) and not policies.can_accept_offer(booker, booking)
    assert not policies.can_mark_attendance(supporter, booking)  # not started yet
    assert policies.can_mark_attendance(supporter, booking, now=booking.starts_at)
    assert not policies.can_cancel(booker, booking, now=booking.starts_at)
    assert not policies.can_reschedule(booker, booking, now=booking.starts_at)
    booking.status = BookingStatus.REQUESTED
    assert policies.can_confirm(supporter, booking) and not policies.can_confirm(booker, booking)
    booking.status = BookingStatus.OFFERED
    assert policies.can_accept_offer(booker, booking) and not policies.can_accept_offer(supporter, booking)
    assert not policies.can_reschedule(booker, booking)  # an offered place is taken or left, not moved
    booking.status = BookingStatus.CANCELLED
    assert not policies.can_cancel(booker, booking) and not policies.can_join_video_call(booker, booking)
    assert not policies.can_write_reflections(booker, booking) and not policies.can_write_session_notes(
        supporter, booking)
    booking.status = BookingStatus.NO_SHOW
    assert policies.can_write_session_notes(supporter, booking) and not policies.can_write_reflections(
        booker, booking)


def test_the_booker_reads_session_notes_only_once_there_are_some(booking):
    assert not policies.can_read_session_notes_as_booker(booking.booker, booking)
    booking.session_notes = "Agreed a plan"
    assert policies.can_read_session_notes_as_booker(booking.booker, booking)
    assert not policies.can_read_session_notes_as_booker(booking.supporter, booking)


def test_availability_is_the_supporters_own():
    profile = make_supporter()
    rules = [weekly(profile, weekday=1, start="09:00", end="10:00"),
             one_off(profile, starts_at=utcnow() + timedelta(days=2)),
             AvailabilityException(supporter_id=profile.user_id)]
    for rule in rules:
        assert policies.can_manage_availability(profile.user, rule)
        assert not any(policies.can_manage_availability(u, rule) for u in outsiders())
    profile.user.set_roles(())  # no longer a supporter: nothing of theirs to manage
    assert not policies.can_manage_availability(profile.user, rules[0])
    assert not policies.can_offer_support(profile.user)
