"""RFC 5545 calendar data (icalendar): invites, cancellations and the personal feed.

A booking keeps one UID for its whole life, including reschedules (the new booking inherits it), and SEQUENCE
goes up on every change, so calendars move or remove the one event instead of leaving ghosts. Nothing
confidential goes in: no reason, no notes, no reflections.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from portal.support.models import Booking, BookingStatus, MeetingMode

PRODID = "-//Frontline//Peer support//EN"


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _attendee(user, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.display_name)
    address.params["role"] = vText(role)
    return address


def location(booking: Booking) -> str:
    """Where the session happens, for the event's LOCATION: the room, the phone number or the video link of the way
    of meeting chosen (or every way the supporter offers, for a booking made before people chose)."""
    profile = booking.supporter_profile
    if profile is None:
        return ""
    details = {MeetingMode.ROOM: profile.room, MeetingMode.PHONE: profile.phone, MeetingMode.VIDEO: profile.video_link}
    modes = [booking.mode] if booking.mode else [MeetingMode(m) for m in profile.meeting_modes or ()]
    return " · ".join(f"{mode.label}: {details[mode]}" if details[mode] else str(mode.label) for mode in modes)


def booking_event(booking: Booking, *, now: datetime, cancelled: bool = False) -> Event:
    event = Event()
    event.add("uid", booking.calendar_uid)
    event.add("sequence", booking.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add("summary", _("%(kind)s with %(name)s", kind=booking.kind.label,
                           name=booking.supporter.display_name))
    where = location(booking)
    if where:
        event.add("location", where)
    event.add("status", "CANCELLED" if cancelled else (
        "TENTATIVE" if booking.status in (BookingStatus.REQUESTED, BookingStatus.OFFERED) else "CONFIRMED"))
    organizer = vCalAddress(f"mailto:{booking.supporter.email}")
    organizer.params["cn"] = vText(booking.supporter.display_name)
    event.add("organizer", organizer)
    event.add("attendee", _attendee(booking.booker, "REQ-PARTICIPANT"))
    return event


def invite_ics(booking: Booking, *, now: datetime) -> bytes:
    """METHOD:REQUEST for a new or changed booking."""
    calendar = _calendar("REQUEST")
    calendar.add_component(booking_event(booking, now=now))
    return calendar.to_ical()


def cancel_ics(booking: Booking, *, now: datetime) -> bytes:
    """METHOD:CANCEL with the booking's UID and its raised SEQUENCE, so the event is removed."""
    calendar = _calendar("CANCEL")
    calendar.add_component(booking_event(booking, now=now, cancelled=True))
    return calendar.to_ical()


def download_ics(booking: Booking, *, now: datetime) -> bytes:
    """One booking as a file to open in a calendar app ("Add to calendar"). METHOD:PUBLISH, the same UID and
    SEQUENCE as the emailed invite, so opening both gives one event."""
    calendar = _calendar("PUBLISH")
    calendar.add_component(booking_event(booking, now=now))
    return calendar.to_ical()


def feed_ics(bookings: Iterable[Booking], *, now: datetime) -> bytes:
    """A subscription feed (no METHOD): the person's current bookings."""
    calendar = _calendar(None)
    calendar.add("x-wr-calname", _("Frontline support sessions"))
    for booking in bookings:
        calendar.add_component(booking_event(booking, now=now))
    return calendar.to_ical()
