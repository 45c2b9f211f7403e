"""London months for insight figures, and the SQL that sorts a timestamp into one of them.

Months are London's (portal/common/london.py): a thank-you at 00:30 on 1 April London time belongs to April even
though it is still 31 March in UTC. The database is never asked to know about time zones: each month's UTC bounds
are worked out here and the month is picked with one CASE expression, the same on SQLite and PostgreSQL, so a
grouped COUNT over a year is still one indexed range scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from sqlalchemy import and_, case

from portal.common.london import london_today, month_bounds

PERIOD_CHOICES = (3, 6, 12, 24)
DEFAULT_PERIOD = 12


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def label(self) -> str:
        """"Nov 2026" in the reader's language."""
        return format_date(self.first_day, "MMM yyyy")

    @property
    def short_label(self) -> str:
        """"Nov" (for a chart's axis; the table has the year)."""
        return format_date(self.first_day, "MMM")


def month_of(year: int, month: int) -> Month:
    start, end = month_bounds(year, month)
    return Month(year, month, start, end)


def last_months(count: int, *, now: datetime | None = None) -> list[Month]:
    """The ``count`` London months up to and including this one, oldest first."""
    today = london_today(now)
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(month_of(year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def in_months(column, months: list[Month]):
    """``column`` falls within the months (one range: an index on the column serves it)."""
    return and_(column >= months[0].start, column < months[-1].end)


def month_key(column, months: list[Month]):
    """A CASE giving "2026-11" for the London month ``column`` falls in (NULL outside ``months``)."""
    return case(*[(and_(column >= m.start, column < m.end), m.key) for m in months], else_=None)


def parse_period(value: str | None) -> int:
    """How many months to show: one of PERIOD_CHOICES, anything else is the default."""
    return int(value) if value in {str(choice) for choice in PERIOD_CHOICES} else DEFAULT_PERIOD
