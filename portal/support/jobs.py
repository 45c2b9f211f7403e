"""Jobs: remind both people before a session, let an unanswered waitlist offer lapse, erase old confidential words.

Each handler runs in the worker's transaction and is safe to run twice (the services check state first).
"""

from __future__ import annotations

from datetime import datetime

from portal.extensions import db
from portal.notifications.schedule import Every, Periodic
from portal.support import services
from portal.support.models import Booking
from portal.support.retention import erase_old_booking_content


def reminder(payload: dict, now: datetime) -> None:
    booking = db.session.get(Booking, payload["booking_id"])
    if booking is not None:
        services.remind_booking(booking=booking)


def hold_expiry(payload: dict, now: datetime) -> None:
    booking = db.session.get(Booking, payload["booking_id"])
    if booking is not None:
        services.expire_offer(booking=booking, now=now)


def retention(payload: dict, now: datetime) -> None:
    erase_old_booking_content(now=now)


# What register() hands the worker: job kind → handler, and the schedule of the periodic one.
JOBS = {services.REMINDER_JOB: reminder, services.HOLD_EXPIRY_JOB: hold_expiry, services.RETENTION_JOB: retention}
PERIODIC = [Periodic(services.RETENTION_JOB, every=Every.DAY, hour=3,
                     description="Erase the words of support sessions past the retention period (daily, 03:00)")]
