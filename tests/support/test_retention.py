"""Confidential words in bookings are erased after HR's retention period; the bookings and counts stay."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.common.audit import AuditEvent
from portal.extensions import db
from portal.support.models import Booking
from portal.support.services import book_slot
from tests.factories import UserFactory
from tests.schedule import run_daily_sweeps
from tests.support.factories import key, make_supporter, one_off

pytestmark = pytest.mark.usefixtures("app_ctx")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_the_daily_retention_job_erases_old_words_only(app, monkeypatch):
    """The real scheduled sweep, with the period set by PEER_SUPPORT_RETENTION_DAYS, measured from the session's end."""
    monkeypatch.setitem(app.config, "PEER_SUPPORT_RETENTION_DAYS", 30)
    profile = make_supporter()
    old_start, new_start = NOW + timedelta(days=2), NOW + timedelta(days=3)
    for start in (old_start, new_start):
        one_off(profile, starts_at=start)
    old = book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind="clinical_supervision",
                    starts_at=old_start, idempotency_key=key(), reason="After the call about my dad", now=NOW)
    recent = book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind="clinical_supervision",
                       starts_at=new_start, idempotency_key=key(), reason="Still fresh", now=NOW)
    old.session_notes = "Talked it through"
    db.session.commit()
    old_id, recent_id, old_end, recent_end = old.id, recent.id, old.ends_at, recent.ends_at
    # More than 30 days after the first session ended, but not the second (it ended a day later).
    swept_at = run_daily_sweeps((old_end + timedelta(days=31)).date())
    assert old_end + timedelta(days=30) < swept_at < recent_end + timedelta(days=30)

    old, recent = db.session.get(Booking, old_id), db.session.get(Booking, recent_id)
    assert (old.reason, old.session_notes) == ("", "")
    assert recent.reason == "Still fresh"
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 2  # counts remain
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "support.content_erased")).details == {
        "count": 1}
