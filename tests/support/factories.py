"""Factories and helpers for peer-support tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from portal.extensions import db
from portal.support.models import OneOffSession, SupporterProfile, SupportKind, WeeklyHours
from portal.support.slots import LONDON
from tests.factories import UserFactory


def make_supporter(*, kinds=(SupportKind.CLINICAL, SupportKind.GROUP, SupportKind.MENTORING), unit=None,
                   **profile) -> SupporterProfile:
    user = UserFactory(supporter=True, **({"unit": unit} if unit else {}))
    values = {"kinds": [str(k) for k in kinds], "meeting_modes": ["room", "video"], "room": "Room 4, Trust HQ",
              "slot_minutes": 50, "buffer_minutes": 10, "min_notice_hours": 0, "horizon_days": 60,
              "needs_confirmation": False, **profile}
    row = SupporterProfile(user_id=user.id, **values)
    row.user = user
    db.session.add(row)
    db.session.flush()
    return row


def weekly(profile, *, weekday: int, start: str, end: str, kind=SupportKind.CLINICAL, capacity: int = 1):
    rule = WeeklyHours(supporter_id=profile.user_id, kind=str(kind), weekday=weekday,
                       start_time=time.fromisoformat(start), end_time=time.fromisoformat(end), capacity=capacity)
    db.session.add(rule)
    db.session.flush()
    return rule


def one_off(profile, *, starts_at: datetime, minutes: int = 60, kind=SupportKind.CLINICAL, capacity: int = 1):
    row = OneOffSession(supporter_id=profile.user_id, kind=str(kind), starts_at=starts_at,
                        ends_at=starts_at + timedelta(minutes=minutes), capacity=capacity)
    db.session.add(row)
    db.session.flush()
    return row


def london(day: date, hhmm: str, fold: int = 0) -> datetime:
    return datetime.combine(day, time.fromisoformat(hhmm)).replace(tzinfo=LONDON, fold=fold).astimezone(UTC)


def key() -> str:
    return uuid.uuid4().hex


def next_weekday(after: date, weekday: int) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)
