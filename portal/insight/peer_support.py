"""Peer-support figures for HR: counts only, and never a word anyone wrote.

Sessions booked by kind, month and unit; de-brief requests by month, claimed or not, with the median time to claim;
mentoring relationships started and ended by month. Each figure is one grouped query over timestamps, states and
units (the median too: a window function, the same on SQLite and PostgreSQL). Who is counted where is the person
supported: the booker's unit, the unit a de-brief was asked from, the mentee's unit. The pages show these through
``figures.count_table``, which hides small numbers.
"""

from __future__ import annotations

from sqlalchemy import Float, cast, func, select

from portal.auth.models import User
from portal.debriefs.models import DebriefRequest
from portal.extensions import db
from portal.insight.filters import Bucket, InsightFilter, bucket_key, in_unit, unit_buckets
from portal.insight.periods import in_months, month_key
from portal.mentoring.models import HOLDING_STATES, Mentoring, MentoringState
from portal.org.models import Unit
from portal.support.models import Booking, BookingStatus, SupportKind

# A session someone booked and did not cancel (held, to be held, or missed); an offered group place is not one yet.
BOOKED = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)
# Mentoring that was accepted: it started, whatever happened next.
STARTED = (*HOLDING_STATES, MentoringState.ENDED)


def _sessions(f: InsightFilter, *columns):
    return (select(*columns).select_from(Booking).join(User, User.id == Booking.booker_id)
            .where(Booking.status.in_(BOOKED), in_months(Booking.starts_at, f.months), in_unit(User.unit_id, f.unit)))


def sessions_by_month_and_kind(f: InsightFilter) -> dict[tuple[str, SupportKind], int]:
    month = month_key(Booking.starts_at, f.months)
    rows = db.session.execute(_sessions(f, month, Booking.kind, func.count()).group_by(month, Booking.kind))
    return {(key, kind): count for key, kind, count in rows}


def sessions_by_unit_and_kind(f: InsightFilter) -> tuple[list[Bucket], dict[tuple[int, SupportKind], int]]:
    buckets = unit_buckets(f.unit)
    key = bucket_key(Unit.path, buckets)
    if key is None:
        return [], {}
    rows = db.session.execute(_sessions(f, key, Booking.kind, func.count()).join(Unit, Unit.id == User.unit_id)
                              .group_by(key, Booking.kind))
    return buckets, {(unit_id, kind): count for unit_id, kind, count in rows}


def _debriefs(f: InsightFilter, *columns):
    return select(*columns).where(in_months(DebriefRequest.created_at, f.months),
                                  in_unit(DebriefRequest.unit_id, f.unit))


def debriefs_by_month(f: InsightFilter) -> dict[str, tuple[int, int]]:
    """Per month of asking: (claimed, not claimed yet). Two parts that add up to the requests, so the table can
    show all three without one giving the other away."""
    month = month_key(DebriefRequest.created_at, f.months)
    claimed = func.count(DebriefRequest.claimed_at)
    rows = db.session.execute(_debriefs(f, month, claimed, func.count() - claimed).group_by(month))
    return {key: (done, waiting) for key, done, waiting in rows}


def seconds_between(start, end):
    """``end - start`` in seconds, on either database."""
    if db.session.get_bind().dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return func.extract("epoch", end - start)


def median_minutes_to_claim(f: InsightFilter) -> dict[str, float]:
    """Per month of asking, the median minutes from asking to being claimed, over the claimed requests: one query
    (each month's middle one or two, found with window functions, then averaged)."""
    month = month_key(DebriefRequest.created_at, f.months)
    wait = seconds_between(DebriefRequest.created_at, DebriefRequest.claimed_at)
    ranked = _debriefs(f, month.label("month"), wait.label("wait"),
                       func.row_number().over(partition_by=month, order_by=wait).label("position"),
                       func.count().over(partition_by=month).label("claimed")).where(
        DebriefRequest.claimed_at.is_not(None)).subquery()
    middle = ranked.c.position.in_([(ranked.c.claimed + 1) // 2, (ranked.c.claimed + 2) // 2])
    rows = db.session.execute(select(ranked.c.month, func.avg(cast(ranked.c.wait, Float)))
                              .where(middle).group_by(ranked.c.month))
    return {key: float(seconds) / 60 for key, seconds in rows if key is not None}


def mentoring_by_month(f: InsightFilter) -> dict[str, tuple[int, int]]:
    """Per month: (started — accepted by the mentor, ended). Two grouped queries over indexed timestamps."""
    def grouped(column, *conditions) -> dict[str, int]:
        month = month_key(column, f.months)
        return dict(db.session.execute(
            select(month, func.count()).select_from(Mentoring).join(User, User.id == Mentoring.mentee_id)
            .where(in_months(column, f.months), in_unit(User.unit_id, f.unit), *conditions).group_by(month)).all())

    started = grouped(Mentoring.decided_at, Mentoring.state.in_(STARTED))
    ended = grouped(Mentoring.ended_at, Mentoring.state == MentoringState.ENDED)
    return {key: (started.get(key, 0), ended.get(key, 0)) for key in {*started, *ended} if key is not None}
