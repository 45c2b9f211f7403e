"""Slots from weekly hours in London time: right across the clock changes (last Sundays of March and October)."""

from datetime import UTC, date, datetime, time
from types import SimpleNamespace

import pytest

from portal.support.models import SupportKind
from portal.support.queries import open_slots
from portal.support.slots import LONDON, candidate_slots, london_to_utc, parse_start
from tests.support.factories import make_supporter, weekly

SPRING = [date(2026, 3, 29), date(2027, 3, 28)]
AUTUMN = [date(2026, 10, 25), date(2027, 10, 31)]
PROFILE = SimpleNamespace(slot_minutes=60, buffer_minutes=0)


def rule(start: str, end: str, weekday: int = 6):
    return SimpleNamespace(supporter_id=1, kind="clinical_supervision", weekday=weekday,
                           start_time=time.fromisoformat(start), end_time=time.fromisoformat(end), capacity=1)


def slots_on(day: date, window: tuple[str, str]):
    start = datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)
    end = datetime.combine(day, time(23, 59), tzinfo=LONDON).astimezone(UTC)
    return candidate_slots(profile=PROFILE, weekly=[rule(*window)], one_offs=[], exceptions=[], start=start, end=end)


def wall(slot) -> str:
    return slot.starts_at.astimezone(LONDON).strftime("%H:%M")


@pytest.mark.parametrize("day", SPRING + AUTUMN)
def test_a_nine_oclock_weekly_slot_stays_nine_oclock_london_time_either_side_of_the_change(day):
    week_before, week_after = day.replace(day=day.day - 7), day
    before = slots_on(week_before, ("09:00", "10:00"))
    after = slots_on(week_after, ("09:00", "10:00"))
    assert [wall(s) for s in before] == ["09:00"] and [wall(s) for s in after] == ["09:00"]
    # One hour apart in UTC, because the offset changed in between.
    assert abs(before[0].starts_at.hour - after[0].starts_at.hour) == 1


@pytest.mark.parametrize("day", SPRING)
def test_no_slot_at_a_time_that_does_not_exist_when_the_clocks_go_forward(day):
    slots = slots_on(day, ("00:30", "03:30"))
    assert [wall(s) for s in slots] == ["00:30", "02:30"]  # 01:30 never happens that night
    assert london_to_utc(day, time(1, 30)) is None
    assert all(a.ends_at <= b.starts_at for a, b in zip(slots, slots[1:], strict=False))


@pytest.mark.parametrize("day", AUTUMN)
def test_one_slot_not_two_at_a_time_that_happens_twice_when_the_clocks_go_back(day):
    slots = slots_on(day, ("00:30", "03:30"))
    assert [wall(s) for s in slots] == ["00:30", "01:30", "02:30"]
    assert len({s.starts_at for s in slots}) == len(slots)
    assert all(a.ends_at <= b.starts_at for a, b in zip(slots, slots[1:], strict=False))
    assert slots[1].starts_at == datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC)  # first 01:30 (BST)


def test_slot_start_round_trips_through_urls():
    slot = slots_on(date(2026, 3, 29), ("09:00", "10:00"))[0]
    assert parse_start(slot.start_param) == slot.starts_at
    assert parse_start("not a time") is None


@pytest.mark.parametrize("day", SPRING + AUTUMN)
def test_open_slots_from_the_database_across_the_change(app_ctx, day):
    profile = make_supporter(horizon_days=400)
    weekly(profile, weekday=6, start="09:00", end="11:00")
    now = datetime(day.year, day.month, 1, tzinfo=UTC)
    found = open_slots(now=now, supporter_id=profile.user_id, on_day=day)
    assert [wall(s) for s in found] == ["09:00", "10:00"]
    assert all(s.kind == SupportKind.CLINICAL for s in found)
