"""Periodic work that runs once per period — and catches up after the worker was down.

A feature declares its periodic jobs (``Periodic(kind, every=Every.MONTH, hour=7)``) and contributes them in
``register(app)``. Each period (a London day, or a London month) gets exactly one job row, carrying the period in its
``period`` column; a unique constraint on (kind, period) makes a second scheduling of the same period — by a second
worker, or the same worker after a restart — a no-op. When a worker starts after downtime it schedules every period
it missed, in order, once each: a November summary still goes out if the worker was down on 1 December, and never
twice.

Periods are London periods: a day job for 29 November runs at ``hour`` on that day in London; a month job covering
November runs at ``hour`` on 1 December in London — in summer or winter time alike. The job's handler is given the
period (``payload["period"]``) and acts on it, never on the worker's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from portal.db import Choice

LONDON = ZoneInfo("Europe/London")


class Every(Choice):
    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True)
class Periodic:
    """A job that runs once per ``every``, at ``hour`` o'clock London time (for a month: on the 1st of the next)."""

    kind: str
    every: Every
    hour: int
    description: str = ""

    # --- periods as text: "2026-11-29" (a day) or "2026-11" (a month) ---------------------------------------------

    def period_start(self, period: str) -> date:
        if self.every == Every.DAY:
            return date.fromisoformat(period)
        year, month = map(int, period.split("-"))
        return date(year, month, 1)

    def name(self, day: date) -> str:
        return day.isoformat() if self.every == Every.DAY else f"{day.year:04d}-{day.month:02d}"

    def next_period(self, period: str) -> str:
        start = self.period_start(period)
        if self.every == Every.DAY:
            return self.name(start + timedelta(days=1))
        return self.name(_first_of_next_month(start))

    def previous_period(self, period: str) -> str:
        return self.name(self.period_start(period) - timedelta(days=1))

    def due_at(self, period: str) -> datetime:
        """When the job for ``period`` runs (aware, UTC)."""
        start = self.period_start(period)
        day = start if self.every == Every.DAY else _first_of_next_month(start)
        return datetime(day.year, day.month, day.day, self.hour, tzinfo=LONDON).astimezone(ZoneInfo("UTC"))

    def latest_due(self, now: datetime) -> str:
        """The most recent period whose run time is at or before ``now``."""
        local = now.astimezone(LONDON).date()
        period = self.name(local if self.every == Every.DAY else _last_month(local))
        while self.due_at(period) > now:
            period = self.previous_period(period)
        return period

    def periods_after(self, last: str, now: datetime) -> list[str]:
        """Every period after ``last`` that is due by ``now``, oldest first (the catch-up after downtime)."""
        periods = []
        period = self.next_period(last)
        while self.due_at(period) <= now:
            periods.append(period)
            period = self.next_period(period)
        return periods


def _first_of_next_month(day: date) -> date:
    return date(day.year + (day.month == 12), 1 if day.month == 12 else day.month + 1, 1)


def _last_month(day: date) -> date:
    return date(day.year - (day.month == 1), 12 if day.month == 1 else day.month - 1, 1)
