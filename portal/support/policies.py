"""Who may do what with peer-support data. Confidential content (reason, reflections, cancellation reason, session
notes) is for the booker and the supporter only: never HR, never administrators.

``can_view_booking``, ``can_act_as_booker``, ``can_act_as_supporter`` and ``can_manage_availability`` say *who*;
views load objects with them. The others also look at the booking's state and time, so a page shows a button only
when pressing it would work; whether it still does when pressed is decided by the service's guarded update (a
second click gets a message saying what happened instead).
"""

from __future__ import annotations

from datetime import datetime

from portal.auth.models import User
from portal.common.roles import Role
from portal.db import utcnow
from portal.support.models import (
    REFLECTION_STATUSES,
    SESSION_NOTE_STATUSES,
    AvailabilityException,
    Booking,
    BookingStatus,
    OneOffSession,
    WeeklyHours,
)


def can_view_booking(user: User, booking: Booking) -> bool:
    """The booking page, with what was written: its two people."""
    return can_act_as_booker(user, booking) or can_act_as_supporter(user, booking)


def can_act_as_booker(user: User, booking: Booking) -> bool:
    """The person who booked: moves the booking, takes an offered place, writes reflections."""
    return user.is_authenticated and user.id == booking.booker_id


def can_act_as_supporter(user: User, booking: Booking) -> bool:
    """The supporter booked: confirms, records attendance, writes session notes."""
    return user.is_authenticated and user.id == booking.supporter_id


def can_cancel(user: User, booking: Booking, now: datetime | None = None) -> bool:
    return can_view_booking(user, booking) and booking.is_holding and booking.starts_at > (now or utcnow())


def can_reschedule(user: User, booking: Booking, now: datetime | None = None) -> bool:
    return (can_act_as_booker(user, booking) and booking.status in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
            and booking.starts_at > (now or utcnow()))


def can_add_to_calendar(user: User, booking: Booking) -> bool:
    """The .ics download: for the booking's two people while it still holds its place, or once attended."""
    return can_view_booking(user, booking) and (booking.is_holding or booking.status == BookingStatus.ATTENDED)


def can_manage_regions(user: User) -> bool:
    """Which bank holidays each unit keeps: administrators and HR."""
    return user.is_authenticated and (user.has_role(Role.ADMIN) or user.has_role(Role.HR))


def can_confirm(user: User, booking: Booking) -> bool:
    return can_act_as_supporter(user, booking) and booking.status == BookingStatus.REQUESTED


def can_accept_offer(user: User, booking: Booking) -> bool:
    return can_act_as_booker(user, booking) and booking.status == BookingStatus.OFFERED


def can_mark_attendance(user: User, booking: Booking, now: datetime | None = None) -> bool:
    return (can_act_as_supporter(user, booking) and booking.status == BookingStatus.CONFIRMED
            and booking.starts_at <= (now or utcnow()))


def can_write_reflections(user: User, booking: Booking) -> bool:
    return can_act_as_booker(user, booking) and booking.status in REFLECTION_STATUSES


def can_write_session_notes(user: User, booking: Booking) -> bool:
    return can_act_as_supporter(user, booking) and booking.status in SESSION_NOTE_STATUSES


def can_join_video_call(user: User, booking: Booking) -> bool:
    """The supporter's video link is for the two people of a booking that still holds its place."""
    return can_view_booking(user, booking) and booking.is_holding


def can_read_session_notes_as_booker(user: User, booking: Booking) -> bool:
    """The booker reads what the supporter wrote (the supporter sees it in the form they write it in)."""
    return can_act_as_booker(user, booking) and bool(booking.session_notes)


def can_offer_support(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPPORTER)


def can_manage_availability(user: User, item: WeeklyHours | OneOffSession | AvailabilityException) -> bool:
    """A supporter's weekly hours, one-off sessions and days off are theirs alone to remove."""
    return can_offer_support(user) and item.supporter_id == user.id
