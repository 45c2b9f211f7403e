"""The slot computation against a straightforward reference: time-zone work done once per day gives exactly the
slots that converting every slot on its own gives, across both clock changes; and a list limited to the first N
(computed a stretch at a time) is exactly the first N of the whole window."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from portal.extensions import db
from portal.support.models import AvailabilityException, SupportKind, SupportSession
from portal.support.queries import open_slots
from portal.support.slots import LONDON, Slot, london_to_utc, weekly_slots
from tests.support.factories import make_supporter, one_off, weekly

RULES = [  # (weekday, start, end, slot minutes, buffer minutes)
    (6, "00:00", "04:00", 30, 0),  # the clock-change hours themselves, on the Sundays they happen
    (6, "00:30", "03:30", 60, 0),
    (6, "09:00", "17:00", 50, 10),
    (5, "22:00", "23:59", 45, 5),
    (0, "08:15", "12:45", 20, 7),
    (2, "13:00", "19:00", 90, 15),
]
# Windows that cross the spring and autumn changes of 2026 and 2027 (last Sundays of March and October).
WINDOWS = [(date(2026, 3, 14), 30), (date(2026, 10, 10), 30), (date(2027, 3, 20), 14), (date(2027, 10, 24), 14)]


def reference_slots(rule, *, slot_minutes, buffer_minutes, start, end, days_off):
    """Every slot converted from London wall-clock time on its own (the computation before it was made fast)."""
    length, step = timedelta(minutes=slot_minutes), timedelta(minutes=slot_minutes + buffer_minutes)
    day, last = start.astimezone(LONDON).date(), end.astimezone(LONDON).date()
    while day <= last:
        if day.weekday() == rule.weekday and day not in days_off:
            wall = datetime.combine(day, rule.start_time)
            while wall + length <= datetime.combine(day, rule.end_time):
                starts_at = london_to_utc(day, wall.time())
                if starts_at is not None and start <= starts_at < end:
                    yield Slot(rule.supporter_id, rule.kind, starts_at, starts_at + length, rule.capacity)
                wall += step
        day += timedelta(days=1)


@pytest.mark.parametrize(("first_day", "days"), WINDOWS)
@pytest.mark.parametrize(("weekday", "start", "end", "slot_minutes", "buffer_minutes"), RULES)
def test_weekly_slots_match_the_per_slot_reference_across_clock_changes(first_day, days, weekday, start, end,
                                                                         slot_minutes, buffer_minutes):
    rule = SimpleNamespace(supporter_id=7, kind="clinical_supervision", weekday=weekday,
                           start_time=time.fromisoformat(start), end_time=time.fromisoformat(end), capacity=1)
    window_start = datetime.combine(first_day, time(5, 17), tzinfo=UTC)
    window_end = window_start + timedelta(days=days)
    days_off = {first_day + timedelta(days=9)}
    arguments = {"slot_minutes": slot_minutes, "buffer_minutes": buffer_minutes, "start": window_start,
                 "end": window_end, "days_off": days_off}
    fast = list(weekly_slots(rule=rule, **arguments))
    reference = list(reference_slots(rule, **arguments))
    assert fast == reference
    assert fast, "each rule offers something in each window"


def test_a_limited_list_is_the_first_of_the_whole_window(app_ctx):
    """Several supporters, rules, a one-off, days off and booked sessions (one a full group): the list the booking
    page shows (limited, computed a stretch at a time) is exactly the start of the unlimited list."""
    now = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)  # the window crosses the spring change
    supporters = [make_supporter(horizon_days=42, min_notice_hours=hours) for hours in (0, 24, 72)]
    for n, profile in enumerate(supporters):
        weekly(profile, weekday=(n * 2) % 7, start="09:00", end="12:00")
        weekly(profile, weekday=6, start="00:30", end="03:30")
        weekly(profile, weekday=3, start="13:00", end="17:00", kind=SupportKind.GROUP, capacity=2)
    one_off(supporters[0], starts_at=datetime(2026, 3, 24, 19, 0, tzinfo=UTC))
    db.session.add(AvailabilityException(supporter_id=supporters[1].user_id, first_day=date(2026, 3, 29),
                                         last_day=date(2026, 4, 2)))
    everything = open_slots(now=now, include_full=True)
    taken = everything[3]
    group = next(s for s in everything if s.is_group)
    db.session.add_all([
        SupportSession(supporter_id=taken.supporter_id, kind=taken.kind, starts_at=taken.starts_at,
                       ends_at=taken.ends_at, capacity=1, booked_count=1, is_active=True),
        SupportSession(supporter_id=group.supporter_id, kind=group.kind, starts_at=group.starts_at,
                       ends_at=group.ends_at, capacity=2, booked_count=2, is_active=True)])
    db.session.flush()
    for include_full in (True, False):
        whole = open_slots(now=now, include_full=include_full)
        assert taken not in whole and len(whole) > 40
        for limit in (1, 5, 17, 31, len(whole) + 5):
            assert open_slots(now=now, include_full=include_full, limit=limit) == whole[:limit]
        for kind in (SupportKind.CLINICAL, SupportKind.GROUP):
            assert (open_slots(now=now, kind=kind, include_full=include_full, limit=9)
                    == [s for s in whole if s.kind == kind][:9])
    full = [s for s in open_slots(now=now, include_full=True) if s.places_left == 0]
    assert [(s.supporter_id, s.starts_at) for s in full] == [(group.supporter_id, group.starts_at)]


def test_with_many_supporters_at_the_same_times_a_limited_list_is_still_the_first_of_the_whole(app_ctx):
    """More supporters than FEW_SUPPORTERS start with a shorter stretch, and a busy stretch is cut to the soonest
    slots before sessions are checked; with 30 supporters offering the same hours, the cut falls among slots that
    start together, some of them taken."""
    now = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)  # a Monday morning
    supporters = [make_supporter(horizon_days=21, min_notice_hours=0) for _ in range(30)]
    for profile in supporters:
        weekly(profile, weekday=0, start="09:00", end="12:00")
        weekly(profile, weekday=2, start="09:00", end="11:00")
    first = open_slots(now=now, include_full=False)
    for taken in first[:45:4]:  # every fourth of the first hours' slots is booked
        db.session.add(SupportSession(supporter_id=taken.supporter_id, kind=taken.kind, starts_at=taken.starts_at,
                                      ends_at=taken.ends_at, capacity=1, booked_count=1, is_active=True))
    db.session.flush()
    whole = open_slots(now=now, include_full=False)
    assert len(whole) == len(first) - len(first[:45:4]) and len(whole) > 200
    for limit in (1, 5, 22, 23, 29, 30, 31, 61, 200):
        assert open_slots(now=now, include_full=False, limit=limit) == whole[:limit], limit


def test_when_the_soonest_slots_are_taken_each_check_takes_twice_as_many(app_ctx, count_queries):
    """One supporter, twelve slots a weekday, the first forty booked: three open slots are found after a handful of
    checks against sessions (3, 6, 12, 24, … slots), not one check per three slots."""
    now = datetime(2026, 5, 4, 6, 0, tzinfo=UTC)  # a Monday morning
    profile = make_supporter(horizon_days=42, min_notice_hours=0)
    for weekday in range(5):
        weekly(profile, weekday=weekday, start="08:00", end="20:00")
    first = open_slots(now=now)
    for taken in first[:40]:
        db.session.add(SupportSession(supporter_id=taken.supporter_id, kind=taken.kind, starts_at=taken.starts_at,
                                      ends_at=taken.ends_at, capacity=1, booked_count=1, is_active=True))
    db.session.flush()
    with count_queries() as counted:
        found = open_slots(now=now, limit=3)
    assert found == first[40:43]
    checks = sum("FROM support_session" in statement for statement in counted.statements)
    assert checks <= 5, counted.statements  # 3 + 6 + 12 + 24 slots checked cover the 40 taken


def test_the_chooser_computes_no_slots_and_the_browser_reads_supporters_once(as_user, count_queries):
    from tests.factories import UserFactory

    for _ in range(3):
        weekly(make_supporter(), weekday=2, start="09:00", end="12:00")
    client = as_user(UserFactory())
    with count_queries() as chooser:
        page = client.get("/support/book").get_data(as_text=True)
    assert "What kind of support would you like?" in page
    assert not any("supporter_profile" in s or "support_weekly_hours" in s for s in chooser.statements)
    with count_queries() as browser:
        page = client.get("/support/book?all=1").get_data(as_text=True)
    assert "/support/book/confirm?" in page
    assert sum("FROM supporter_profile" in s for s in browser.statements) == 1, browser.statements
    assert sum("support_weekly_hours" in s for s in browser.statements) == 1
