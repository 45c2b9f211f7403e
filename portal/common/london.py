"""Frontline's days and months are London's: a "day" starts at midnight in Europe/London (23 or 25 hours long at a
clock change), and so does a month. Stored times are UTC; these give the UTC bounds of London periods."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(LONDON).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of the London day ``day``, in UTC."""
    start = datetime.combine(day, time.min, tzinfo=LONDON)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)
    return start.astimezone(UTC), end.astimezone(UTC)


def days_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) covering the London days ``first`` to ``last`` inclusive, in UTC (``from``/``to`` filters)."""
    return day_bounds(first)[0], day_bounds(last)[1]


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) of a London calendar month, in UTC."""
    start = datetime(year, month, 1, tzinfo=LONDON)
    end = datetime(year + (month == 12), 1 if month == 12 else month + 1, 1, tzinfo=LONDON)
    return start.astimezone(UTC), end.astimezone(UTC)
