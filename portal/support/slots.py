"""Open slots, computed on the fly from availability rules minus the sessions already taken.

Weekly hours are Europe/London wall-clock times, turned into UTC one date at a time, so a 09:00 slot is 09:00 in
both GMT and BST. On the spring-forward Sunday a wall-clock time that does not exist (01:30) gives no slot; on the
fall-back Sunday a time that happens twice (01:30) gives one slot (its first occurrence).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Slot:
    supporter_id: int
    kind: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    capacity: int = 1
    booked: int = 0

    @property
    def places_left(self) -> int:
        return self.capacity - self.booked

    @property
    def is_group(self) -> bool:
        return self.capacity > 1

    @property
    def start_param(self) -> str:
        """The start as it travels in URLs and forms."""
        return self.starts_at.strftime("%Y-%m-%dT%H:%MZ")

    @property
    def local_day(self) -> date:
        return self.starts_at.astimezone(LONDON).date()


def parse_start(value: str | None) -> datetime | None:
    """The inverse of ``Slot.start_param``; None for anything malformed."""
    try:
        return datetime.strptime(value or "", "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def london_to_utc(day: date, wall_time) -> datetime | None:
    """The UTC instant of ``wall_time`` on ``day`` in London; None when the clocks skip it (spring forward).

    An ambiguous time (fall back) resolves to its first occurrence (fold=0), so it yields one slot, not two.
    """
    naive = datetime.combine(day, wall_time)
    local = naive.replace(tzinfo=LONDON, fold=0)
    utc = local.astimezone(UTC)
    if utc.astimezone(LONDON).replace(tzinfo=None) != naive:
        return None
    return utc


def _local_days(start: datetime, end: datetime) -> Iterator[date]:
    day = start.astimezone(LONDON).date()
    last = end.astimezone(LONDON).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


@lru_cache(maxsize=4096)
def steady_offset(day: date) -> timedelta | None:
    """London's UTC offset on ``day`` when it holds all day; None on the two days a year the clocks change."""
    first = datetime.combine(day, time(0), tzinfo=LONDON).utcoffset()
    last = datetime.combine(day, time(23, 59, 59), tzinfo=LONDON).utcoffset()
    return first if first == last else None


def weekly_slots(*, rule, slot_minutes: int, buffer_minutes: int, start: datetime, end: datetime,
                 days_off: set[date]) -> Iterator[Slot]:
    """Slots of one weekly rule whose start lies in [start, end).

    The time-zone work is one offset per day (cached), not a conversion per slot: on an ordinary day every wall-clock
    time is that offset from UTC; only on a clock-change day is each time converted on its own (``london_to_utc``).
    """
    length = timedelta(minutes=slot_minutes)
    step = timedelta(minutes=slot_minutes + buffer_minutes)
    for day in _local_days(start, end):
        if day.weekday() != rule.weekday or day in days_off:
            continue
        wall = datetime.combine(day, rule.start_time)
        window_end = datetime.combine(day, rule.end_time)
        offset = steady_offset(day)
        while wall + length <= window_end:
            starts_at = (wall - offset).replace(tzinfo=UTC) if offset is not None else london_to_utc(day, wall.time())
            if starts_at is not None and start <= starts_at < end:
                yield Slot(rule.supporter_id, rule.kind, starts_at, starts_at + length, rule.capacity)
            wall += step


def days_off_from(exceptions: Iterable) -> set[date]:
    days: set[date] = set()
    for exception in exceptions:
        day = exception.first_day
        while day <= exception.last_day:
            days.add(day)
            day += timedelta(days=1)
    return days


def candidate_slots(*, profile, weekly: Iterable, one_offs: Iterable, exceptions: Iterable, start: datetime,
                    end: datetime, holidays: Iterable[date] = ()) -> list[Slot]:
    """Every slot one supporter's rules offer with a start in [start, end), before taking bookings away. Weekly hours
    are not offered on the supporter's days off nor on ``holidays`` (their bank holidays); one-off sessions are put
    on a particular day on purpose, so they stay."""
    days_off = days_off_from(exceptions) | set(holidays)
    slots: list[Slot] = []
    for rule in weekly:
        slots.extend(weekly_slots(rule=rule, slot_minutes=profile.slot_minutes, buffer_minutes=profile.buffer_minutes,
                                  start=start, end=end, days_off=days_off))
    for one_off in one_offs:
        if start <= one_off.starts_at < end:
            slots.append(Slot(one_off.supporter_id, one_off.kind, one_off.starts_at, one_off.ends_at,
                              one_off.capacity))
    return sorted(set(slots), key=lambda s: (s.starts_at, s.supporter_id, s.kind))


def subtract_sessions(slots: Iterable[Slot], sessions: Iterable, *, include_full: bool = False) -> list[Slot]:
    """Slots still open given the active sessions: a slot overlapping a taken session is closed, except the group
    session it is itself, which stays open (with its places left) until full (and is kept, full, with
    ``include_full``)."""
    by_supporter: dict[int, list] = {}
    for session in sessions:
        by_supporter.setdefault(session.supporter_id, []).append(session)
    open_slots = []
    for slot in slots:
        clashes = [s for s in by_supporter.get(slot.supporter_id, ())
                   if s.starts_at < slot.ends_at and slot.starts_at < s.ends_at]
        if not clashes:
            open_slots.append(slot)
            continue
        same = clashes[0]
        if (len(clashes) == 1 and slot.is_group and same.kind == slot.kind and same.starts_at == slot.starts_at
                and same.ends_at == slot.ends_at and (include_full or same.booked_count < same.capacity)):
            open_slots.append(Slot(slot.supporter_id, slot.kind, slot.starts_at, slot.ends_at, same.capacity,
                                   same.booked_count))
    return open_slots
