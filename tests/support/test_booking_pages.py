"""One booking's pages when things have moved on: second clicks, sessions that started, times just taken, private
words saved only while they make sense; and the booking journey's edges (no slot chosen, a full session, oneself)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.support.models import Booking, BookingStatus, SupportKind, SupportSession, WaitlistEntry
from portal.support.services import book_slot
from tests.factories import UserFactory
from tests.support.factories import key, london, make_supporter, one_off, weekly

pytestmark = pytest.mark.usefixtures("app_ctx")


def soon_day():
    return (utcnow() + timedelta(days=3)).date()


@pytest.fixture
def supporter():
    profile = make_supporter(video_link="https://meet.example/room")
    weekly(profile, weekday=soon_day().weekday(), start="09:00", end="12:00")
    return profile


def book(profile, hhmm="09:00", **kwargs):
    return book_slot(booker=kwargs.pop("booker", None) or UserFactory(), supporter_id=profile.user_id,
                     kind=SupportKind.CLINICAL, starts_at=london(soon_day(), hhmm), idempotency_key=key(), **kwargs)


def status(booking_id: int) -> BookingStatus:
    db.session.expire_all()
    return db.session.get(Booking, booking_id).status


def test_a_second_click_on_confirm_says_what_happened(as_user):
    profile = make_supporter(needs_confirmation=True)
    weekly(profile, weekday=soon_day().weekday(), start="09:00", end="10:00")
    booking = book(profile)
    client = as_user(profile.user)
    assert client.post(f"/support/bookings/{booking.id}/confirm").status_code == 303
    again = client.post(f"/support/bookings/{booking.id}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "This booking has already changed: it is now “Confirmed”." in again
    assert status(booking.id) == BookingStatus.CONFIRMED


def test_cancelling_twice_or_after_the_start_is_refused_with_a_reason(as_user, supporter):
    booking = book(supporter)
    client = as_user(booking.booker)
    assert client.post(f"/support/bookings/{booking.id}/cancel", data={"reason": "Off sick"}).status_code == 303
    again = client.post(f"/support/bookings/{booking.id}/cancel", data={"reason": "Off sick"})
    assert again.status_code == 200 and "it is now “Cancelled”" in again.get_data(as_text=True)
    started = book(supporter, "10:00")
    started.starts_at = utcnow() - timedelta(minutes=5)
    db.session.flush()
    late = as_user(started.supporter).post(f"/support/bookings/{started.id}/cancel", data={"reason": "Ran late"})
    assert late.status_code == 200 and "already started" in late.get_data(as_text=True)
    assert status(started.id) == BookingStatus.CONFIRMED


def test_moving_to_a_time_just_taken_keeps_the_booking_and_offers_the_list_again(as_user, supporter):
    booking = book(supporter)
    taken = book(supporter, "10:00")
    client = as_user(booking.booker)
    response = client.post(f"/support/bookings/{booking.id}/reschedule", data={
        "start": taken.starts_at.strftime("%Y-%m-%dT%H:%MZ"), "idempotency_key": key(), "reason": "Clinic moved"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "That time was just taken. Choose another." in page
    assert f"/support/bookings/{booking.id}/reschedule?start=" in page  # the times to choose from
    assert status(booking.id) == BookingStatus.CONFIRMED
    impossible = client.post(f"/support/bookings/{booking.id}/reschedule", data={
        "start": "2026-02-30T25:00Z", "idempotency_key": key(), "reason": "Clinic moved"})
    assert impossible.status_code == 200 and "Choose a new time." in impossible.get_data(as_text=True)


def test_the_supporter_cannot_move_a_booking_and_a_stranger_cannot_see_it(as_user, supporter):
    booking = book(supporter)
    assert as_user(booking.supporter).get(f"/support/bookings/{booking.id}/reschedule").status_code == 404
    assert as_user(UserFactory()).post(f"/support/bookings/{booking.id}/accept").status_code == 404


def test_reflections_are_saved_checked_and_refused_once_cancelled(as_user, supporter):
    booking = book(supporter)
    client = as_user(booking.booker)
    assert client.post(f"/support/bookings/{booking.id}/reflections",
                       data={"reflections": "I rush endings"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).reflections == "I rush endings"
    too_long = client.post(f"/support/bookings/{booking.id}/reflections", data={"reflections": "x" * 5001})
    assert too_long.status_code == 200 and "5000" in too_long.get_data(as_text=True)
    client.post(f"/support/bookings/{booking.id}/cancel", data={"reason": "Off sick"})
    refused = client.post(f"/support/bookings/{booking.id}/reflections", data={"reflections": "Changed my mind"},
                          follow_redirects=True).get_data(as_text=True)
    assert "it is now “Cancelled”" in refused
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).reflections == "I rush endings"


def test_session_notes_that_are_too_long_come_back_with_the_error(as_user, supporter):
    booking = book(supporter)
    response = as_user(booking.supporter).post(f"/support/bookings/{booking.id}/notes",
                                               data={"session_notes": "x" * 5001})
    assert response.status_code == 200 and "5000" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).session_notes == ""


def test_the_video_link_is_shown_only_while_the_booking_holds_its_place(as_user, supporter):
    booking = book(supporter)
    client = as_user(booking.booker)
    assert "https://meet.example/room" in client.get(f"/support/bookings/{booking.id}").get_data(as_text=True)
    client.post(f"/support/bookings/{booking.id}/cancel", data={"reason": "Off sick"})
    assert "https://meet.example/room" not in client.get(f"/support/bookings/{booking.id}").get_data(as_text=True)


def test_the_confirm_page_without_a_slot_or_with_one_not_offered(as_user, supporter):
    client = as_user(UserFactory())
    response = client.get("/support/book/confirm?supporter_id=x")
    assert response.status_code == 302 and response.headers["Location"].endswith("/support/book")
    odd = london(soon_day(), "09:05").strftime("%Y-%m-%dT%H:%MZ")
    page = client.get("/support/book/confirm", query_string={
        "supporter_id": supporter.user_id, "kind": "clinical_supervision", "start": odd}).get_data(as_text=True)
    assert "That time is no longer offered" in page
    missing_reason = client.post("/support/book/confirm", data={
        "supporter_id": supporter.user_id, "kind": "clinical_supervision",
        "start": london(soon_day(), "09:00").strftime("%Y-%m-%dT%H:%MZ"), "idempotency_key": "short"})
    assert missing_reason.status_code == 200 and "Check and book" in missing_reason.get_data(as_text=True)


def test_nobody_books_themselves_and_a_taken_kind_with_no_other_times_says_so(as_user, supporter):
    own = as_user(supporter.user).post("/support/book/confirm", data={
        "supporter_id": supporter.user_id, "kind": "clinical_supervision",
        "start": london(soon_day(), "09:00").strftime("%Y-%m-%dT%H:%MZ"), "idempotency_key": key(),
        "meeting_mode": "room"})
    assert own.status_code == 200 and "You cannot book a session with yourself." in own.get_data(as_text=True)
    only = make_supporter(kinds=[SupportKind.RESTORATIVE])
    one_off(only, starts_at=london(soon_day(), "09:00"), minutes=50, kind=SupportKind.RESTORATIVE)
    book_slot(booker=UserFactory(), supporter_id=only.user_id, kind=SupportKind.RESTORATIVE,
              starts_at=london(soon_day(), "09:00"), idempotency_key=key(), meeting_mode="room")
    late = as_user(UserFactory()).post("/support/book/confirm", data={
        "supporter_id": only.user_id, "kind": "restorative_supervision", "idempotency_key": key(),
        "meeting_mode": "room", "start": london(soon_day(), "09:00").strftime("%Y-%m-%dT%H:%MZ")})
    assert "There are no other open times for restorative supervision right now." in late.get_data(as_text=True)


def test_the_waiting_list_refuses_what_is_not_a_session_and_people_already_in_it(as_user):
    profile = make_supporter()
    weekly(profile, weekday=soon_day().weekday(), start="14:00", end="15:00", kind=SupportKind.GROUP, capacity=2)
    start = london(soon_day(), "14:00")
    member = book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind=SupportKind.GROUP, starts_at=start,
                       idempotency_key=key())
    slot = {"supporter_id": str(profile.user_id), "kind": "group_supervision",
            "start": start.strftime("%Y-%m-%dT%H:%MZ")}
    client = as_user(member.booker)
    for not_a_session in ({**slot, "kind": "nonsense"}, {**slot, "start": "2099-01-01T09:00Z"}):
        response = client.post("/support/waitlist", data=not_a_session)
        assert response.status_code == 303 and response.headers["Location"].startswith("/support/book")
        assert "That session is no longer on." in client.get("/support").get_data(as_text=True)
    refused = client.post("/support/waitlist", data=slot)
    assert refused.status_code == 303 and "kind=group_supervision" in refused.headers["Location"]
    assert "You already have a place in this session." in client.get("/support").get_data(as_text=True)
    assert db.session.scalar(select(WaitlistEntry)) is None
    session = db.session.scalar(select(SupportSession))
    assert session.booked_count == 1


def test_a_form_posted_without_its_text_field_saves_empty_words(as_user, supporter):
    booking = book(supporter)
    booking.reflections, booking.session_notes = "Old thoughts", "Old notes"
    db.session.flush()
    assert as_user(booking.booker).post(f"/support/bookings/{booking.id}/reflections", data={}).status_code == 303
    assert as_user(booking.supporter).post(f"/support/bookings/{booking.id}/notes", data={}).status_code == 303
    db.session.expire_all()
    saved = db.session.get(Booking, booking.id)
    assert (saved.reflections, saved.session_notes) == ("", "")
