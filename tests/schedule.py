"""Running the real worker across a scheduled time, for tests of periodic work."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from portal.notifications.worker import run_once

LONDON = ZoneInfo("Europe/London")


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def run_daily_sweeps(on: date) -> datetime:
    """Let the worker see the schedule the day before, then run it just after 03:00 London on ``on`` (when the
    retention sweeps are due). Returns the moment the sweeps ran."""
    run_once(now=london(on - timedelta(days=1), 12))
    moment = london(on, 3, 5)
    run_once(now=moment)
    return moment
