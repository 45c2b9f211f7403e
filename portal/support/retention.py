"""Confidential words in bookings are kept only as long as HR's retention period for peer support."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from portal.common.audit import record_event
from portal.db import utcnow
from portal.debriefs.services import current_settings as peer_support_settings
from portal.extensions import db
from portal.support.models import Booking


def erase_old_booking_content(*, now: datetime | None = None) -> int:
    """Blank the confidential words of sessions that ended longer ago than HR's retention period (the same period
    as de-briefs); the bookings themselves, and so every count, stay. Returns how many bookings were blanked."""
    now = now or utcnow()
    cutoff = now - timedelta(days=peer_support_settings().retention_days)  # HR's one period for peer support
    has_words = (Booking.reason != "") | (Booking.cancel_reason != "") | (Booking.reflections != "") | (
        Booking.session_notes != "")
    result = db.session.execute(
        update(Booking).where(Booking.ends_at < cutoff, has_words)
        .values(reason="", cancel_reason="", reflections="", session_notes="")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        record_event("support.content_erased", count=result.rowcount)
    return result.rowcount
