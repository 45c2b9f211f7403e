"""Who may do what with peer-support data. Confidential content (reason, reflections, cancellation reason) is for
the booker and the supporter only: never HR, never administrators."""

from __future__ import annotations

from datetime import datetime

from portal.auth.models import User
from portal.common.roles import Role
from portal.db import utcnow
from portal.support.models import Booking, BookingStatus


def is_party(user: User, booking: Booking) -> bool:
    return user.id in (booking.booker_id, booking.supporter_id)


def can_view_booking(user: User, booking: Booking) -> bool:
    return is_party(user, booking)


def can_cancel(user: User, booking: Booking, now: datetime | None = None) -> bool:
    return is_party(user, booking) and booking.is_holding and booking.starts_at > (now or utcnow())


def can_reschedule(user: User, booking: Booking, now: datetime | None = None) -> bool:
    return (user.id == booking.booker_id and booking.status in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
            and booking.starts_at > (now or utcnow()))


def can_confirm(user: User, booking: Booking) -> bool:
    return user.id == booking.supporter_id and booking.status == BookingStatus.REQUESTED


def can_accept_offer(user: User, booking: Booking) -> bool:
    return user.id == booking.booker_id and booking.status == BookingStatus.OFFERED


def can_mark_attendance(user: User, booking: Booking, now: datetime | None = None) -> bool:
    return (user.id == booking.supporter_id and booking.status == BookingStatus.CONFIRMED
            and booking.starts_at <= (now or utcnow()))


def can_write_reflections(user: User, booking: Booking) -> bool:
    return user.id == booking.booker_id and booking.status in (BookingStatus.CONFIRMED, BookingStatus.ATTENDED)


def can_offer_support(user: User) -> bool:
    return user.has_role(Role.SUPPORTER)


def can_write_session_notes(user: User, booking: Booking) -> bool:
    return user.id == booking.supporter_id and booking.status in (BookingStatus.CONFIRMED, BookingStatus.ATTENDED,
                                                                   BookingStatus.NO_SHOW)
