"""What a new user met when booking support (issue 12): add to calendar, bank holidays by region, a choice of how to
meet, optional reasons, "Moved" instead of "Cancelled", and notifications that say what and when in Frontline's own
words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from markupsafe import escape
from sqlalchemy import select

from portal.common.audit import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import Notification, OutboundEmail
from portal.support.bank_holidays import bank_holidays, holiday_name, region_for, set_unit_region
from portal.support.calendar import feed_ics
from portal.support.models import Booking, BookingStatus, Region, SupportKind, UnitRegion
from portal.support.queries import open_slots
from portal.support.services import SlotTaken, book_slot, cancel_booking, remind_booking, reschedule_booking
from tests.factories import UnitFactory, UserFactory
from tests.support.factories import key, london, make_supporter, one_off, weekly

pytestmark = pytest.mark.usefixtures("app_ctx")
SECRET = "SECRET-REASON about a caller"
CHRISTMAS_WEEK = datetime(2026, 12, 20, 9, 0, tzinfo=UTC)  # a Sunday


def every_weekday(profile, kind=SupportKind.CLINICAL):
    for weekday in range(5):
        weekly(profile, weekday=weekday, start="09:00", end="10:00", kind=kind)


def offered_days(profile, now) -> set[date]:
    return {slot.local_day for slot in open_slots(now=now, supporter_id=profile.user_id)}


def soon_day() -> date:
    return (utcnow() + timedelta(days=3)).date()


# --- 8. Bank holidays, by region ----------------------------------------------------------------------------------

def test_no_weekly_hours_on_christmas_boxing_day_or_new_year():
    profile = make_supporter()
    every_weekday(profile)
    days = offered_days(profile, CHRISTMAS_WEEK)
    for holiday in (date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)):  # 28th: Boxing Day, observed
        assert holiday not in days
    assert {date(2026, 12, 21), date(2026, 12, 24), date(2026, 12, 29), date(2027, 1, 4)} <= days
    with pytest.raises(SlotTaken):
        book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind=SupportKind.CLINICAL,
                  starts_at=london(date(2026, 12, 25), "09:00"), idempotency_key=key(), now=CHRISTMAS_WEEK)


def test_a_one_off_session_on_a_bank_holiday_is_kept():
    profile = make_supporter()
    one_off(profile, starts_at=london(date(2026, 12, 28), "11:00"))
    assert date(2026, 12, 28) in offered_days(profile, CHRISTMAS_WEEK)


def test_the_region_is_set_on_a_unit_and_inherited_beneath_it():
    scotland = UnitFactory(name="Scotland")
    glasgow = UnitFactory(name="Glasgow", parent=scotland)
    team = UnitFactory(name="Glasgow team", parent=glasgow)
    admin = UserFactory(admin=True)
    set_unit_region(actor=admin, unit=scotland, region=Region.SCOTLAND)
    assert region_for(team) == Region.SCOTLAND and region_for(UnitFactory()) == Region.ENGLAND_AND_WALES
    scottish, english = make_supporter(unit=team), make_supporter()
    every_weekday(scottish)
    every_weekday(english)
    # 4 January 2027 is Scotland's 2 January holiday (a Saturday) moved to the Monday; England works.
    assert date(2027, 1, 4) not in offered_days(scottish, CHRISTMAS_WEEK)
    assert date(2027, 1, 4) in offered_days(english, CHRISTMAS_WEEK)
    set_unit_region(actor=admin, unit=team, region=Region.NORTHERN_IRELAND)  # its own setting wins
    assert region_for(team) == Region.NORTHERN_IRELAND
    march = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
    assert date(2027, 3, 17) not in offered_days(scottish, march)  # St Patrick's Day
    assert date(2027, 3, 17) in offered_days(english, march)
    set_unit_region(actor=admin, unit=team, region=None)  # back to the unit above
    assert region_for(team) == Region.SCOTLAND


def test_hr_sets_a_units_region_on_the_bank_holidays_page(as_user):
    north = UnitFactory(name="Northern Ireland office")
    hr = UserFactory(hr=True)
    client = as_user(hr)
    page = client.get("/support/bank-holidays").get_data(as_text=True)
    today = utcnow().date()
    first = min(bank_holidays(Region.NORTHERN_IRELAND, today, today + timedelta(days=366)))
    assert "Northern Ireland office" not in page  # no unit is listed until it has a setting of its own
    assert escape(holiday_name(Region.NORTHERN_IRELAND, first)) in page  # what each region means, by name
    empty = client.post("/support/bank-holidays", data={"unit_id": "", "region": "NIR"})
    assert empty.status_code == 200 and "Choose a unit" in empty.get_data(as_text=True)
    found = client.post("/support/bank-holidays", data={"unit_id_q": "ireland off", "unit_id_find": "1",
                                                        "region": "NIR"})  # the picker without JavaScript
    assert found.status_code == 200 and f'value="{north.id}"' in found.get_data(as_text=True)
    assert db.session.get(UnitRegion, north.id) is None  # finding saves nothing
    saved = client.post("/support/bank-holidays", data={"unit_id": str(north.id), "region": "NIR"})
    assert saved.status_code == 303
    assert db.session.get(UnitRegion, north.id).region == Region.NORTHERN_IRELAND
    listed = client.get("/support/bank-holidays").get_data(as_text=True)
    assert "Northern Ireland office" in listed and "Units with their own bank holidays" in listed
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "support.region_set")) is not None
    assert as_user(UserFactory()).get("/support/bank-holidays").status_code in (403, 404)


# --- 8. A choice of how to meet -----------------------------------------------------------------------------------

def test_a_supporter_who_meets_several_ways_lets_the_booker_choose(as_user):
    profile = make_supporter(meeting_modes=["room", "phone", "video"], phone="0191 555 0100")
    weekly(profile, weekday=soon_day().weekday(), start="09:00", end="10:00")
    client = as_user(UserFactory())
    slot = {"supporter_id": str(profile.user_id), "kind": "clinical_supervision",
            "start": london(soon_day(), "09:00").strftime("%Y-%m-%dT%H:%MZ")}
    page = client.get("/support/book/confirm", query_string=slot).get_data(as_text=True)
    assert "How would you like to meet?" in page and 'value="phone"' in page and "0191 555 0100" in page
    missing = client.post("/support/book/confirm", data={**slot, "idempotency_key": key(), "reason": SECRET})
    text = missing.get_data(as_text=True)
    assert missing.status_code == 200 and "Choose how you would like to meet." in text and SECRET in text
    assert db.session.scalar(select(Booking)) is None
    unoffered = client.post("/support/book/confirm", data={**slot, "idempotency_key": key(), "meeting_mode": "x"})
    assert "Choose how you would like to meet." in unoffered.get_data(as_text=True)
    done = client.post("/support/book/confirm", data={**slot, "idempotency_key": key(), "meeting_mode": "phone"})
    assert done.status_code == 303
    booking = db.session.scalar(select(Booking))
    assert booking.meeting_mode == "phone"
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "By phone (0191 555 0100)" in shown and "By video call" not in shown


def test_a_supporter_who_meets_one_way_asks_nothing(as_user):
    profile = make_supporter(meeting_modes=["room"])
    weekly(profile, weekday=soon_day().weekday(), start="09:00", end="10:00")
    client = as_user(UserFactory())
    slot = {"supporter_id": str(profile.user_id), "kind": "clinical_supervision",
            "start": london(soon_day(), "09:00").strftime("%Y-%m-%dT%H:%MZ")}
    assert "How would you like to meet?" not in client.get("/support/book/confirm",
                                                            query_string=slot).get_data(as_text=True)
    assert client.post("/support/book/confirm", data={**slot, "idempotency_key": key()}).status_code == 303
    assert db.session.scalar(select(Booking)).meeting_mode == "room"


# --- 8. Moving or cancelling: the reason is optional; 7. a moved session says "Moved" --------------------------------

def _booking(profile=None, mode="room") -> Booking:
    profile = profile or make_supporter()
    weekly(profile, weekday=soon_day().weekday(), start="09:00", end="12:00")
    return book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind=SupportKind.CLINICAL,
                     starts_at=london(soon_day(), "09:00"), idempotency_key=key(), reason=SECRET,
                     meeting_mode=mode)


def test_cancelling_without_a_reason(as_user):
    booking = _booking()
    client = as_user(booking.booker)
    page = client.get(f"/support/bookings/{booking.id}/cancel").get_data(as_text=True)
    assert "(optional)" in page
    assert client.post(f"/support/bookings/{booking.id}/cancel", data={"reason": ""}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CANCELLED


def test_moving_without_a_reason_leaves_a_moved_booking_not_a_cancelled_one(as_user):
    booking = _booking()
    client = as_user(booking.booker)
    new_start = london(soon_day(), "11:00").strftime("%Y-%m-%dT%H:%MZ")
    check = client.get(f"/support/bookings/{booking.id}/reschedule?start={new_start}").get_data(as_text=True)
    assert "Check and move" in check and "(optional)" in check and "In a room" in check
    moved = client.post(f"/support/bookings/{booking.id}/reschedule",
                        data={"start": new_start, "idempotency_key": key(), "reason": ""})
    assert moved.status_code == 303
    db.session.expire_all()
    old = db.session.get(Booking, booking.id)
    assert old.status == BookingStatus.MOVED and old.rescheduled_to.meeting_mode == "room"
    old_page = client.get(f"/support/bookings/{booking.id}").get_data(as_text=True)
    assert ">Moved<" in old_page and ">Cancelled<" not in old_page
    listed = client.get("/support").get_data(as_text=True)
    assert ">Moved<" in listed and ">Cancelled<" not in listed


def test_the_reschedule_page_lists_times_the_way_the_booking_page_does(as_user):
    booking = _booking()
    page = as_user(booking.booker).get(f"/support/bookings/{booking.id}/reschedule").get_data(as_text=True)
    assert 'class="card-list"' not in page and 'class="button-group"' in page
    assert page.count(f"/support/bookings/{booking.id}/reschedule?start=") >= 2


# --- 1. Add to calendar -------------------------------------------------------------------------------------------

def test_the_booking_page_offers_an_ics_download_for_its_two_people_only(as_user):
    booking = _booking()
    url = f"/support/bookings/{booking.id}/calendar.ics"
    client = as_user(booking.booker)
    assert f'href="{url}"' in client.get(f"/support/bookings/{booking.id}").get_data(as_text=True)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    assert SECRET.encode() not in response.data
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["UID"]) == booking.calendar_uid and event.decoded("DTSTART") == booking.starts_at
    assert str(event["LOCATION"]) == "In a room: Room 4, Trust HQ"
    assert as_user(booking.supporter).get(url).status_code == 200
    assert as_user(UserFactory()).get(url).status_code == 404
    cancel_booking(booking=booking, actor=booking.booker)
    assert as_user(booking.booker).get(url).status_code == 404


def test_feed_events_have_a_location():
    booking = _booking(make_supporter(meeting_modes=["video"], video_link="https://meet.example/abc"), mode=None)
    event = Calendar.from_ical(feed_ics([booking], now=utcnow())).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "By video call: https://meet.example/abc"


# --- 7. Notifications say what, with whom and when, in Frontline's own words --------------------------------------

def test_booking_notifications_give_the_date_time_and_supporter_but_never_the_reason():
    profile = make_supporter()
    booking = _booking(profile)
    remind_booking(booking=booking)
    moved = reschedule_booking(booking=booking, actor=booking.booker, starts_at=london(soon_day(), "11:00"),
                               idempotency_key=key())
    cancel_booking(booking=moved, actor=booking.booker)
    notifications = list(db.session.scalars(select(Notification).where(Notification.recipient_id == booking.booker_id)))
    assert len(notifications) == 4
    for notification in notifications:
        assert profile.user.display_name in notification.body and ":00" in notification.body
        assert "Open Frontline" not in notification.body and "attached" not in notification.body
        assert SECRET not in notification.body
    emails = list(db.session.scalars(select(OutboundEmail).where(OutboundEmail.recipient_id == booking.booker_id)))
    assert emails
    for email in emails:
        assert profile.user.display_name in email.text_body and "11:00" in " ".join(e.text_body for e in emails)
        assert SECRET not in email.text_body + email.html_body + email.subject
