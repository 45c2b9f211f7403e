"""Peer-support figures: the counts, the median time to claim, small numbers hidden (the subtraction case too), and
never a word anyone wrote — on the page or in any CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from portal.insight import pages, peer_support
from portal.insight.periods import month_of
from portal.mentoring.models import MentoringState
from portal.recognition.models import Visibility
from portal.support.models import BookingStatus, SupportKind
from tests.factories import UnitFactory, UserFactory
from tests.insight.data import SECRET, booking, debrief, mentoring
from tests.insight.test_recognition import months_filter
from tests.recognition.factories import thank

SEP, OCT, NOV = month_of(2026, 9), month_of(2026, 10), month_of(2026, 11)


def cell(fig, row_label, column_label):
    header = fig.table.header
    for label, cells, _note in fig.table.body:
        if label == row_label:
            return cells[header.index(column_label) - 1]
    raise AssertionError(row_label)


def test_sessions_are_counted_by_month_and_kind_and_cancelled_ones_left_out(app_ctx):
    person = UserFactory()
    for day in range(6):
        booking(person, at=OCT.start + timedelta(days=day, hours=9), kind=SupportKind.GROUP)
    booking(person, at=OCT.start + timedelta(days=1), status=BookingStatus.CANCELLED, kind=SupportKind.GROUP)
    booking(person, at=OCT.start + timedelta(days=1), status=BookingStatus.OFFERED, kind=SupportKind.GROUP)
    found = peer_support.sessions_by_month_and_kind(months_filter(OCT))
    assert found == {("2026-10", SupportKind.GROUP): 6}


def test_a_small_cell_and_the_cell_that_would_give_it_away_are_both_hidden(app_ctx):
    """October: 3 clinical and 10 group sessions, total 13. Showing 10 and 13 would give the 3 away, so the 10 (and
    every other number that would let someone work the 3 out) is hidden as well."""
    person = UserFactory()
    for day in range(3):
        booking(person, at=OCT.start + timedelta(days=day, hours=9), kind=SupportKind.CLINICAL)
    for day in range(10):
        booking(person, at=OCT.start + timedelta(days=day, hours=11), kind=SupportKind.GROUP)
    for day in range(8):
        booking(person, at=NOV.start + timedelta(days=day, hours=11), kind=SupportKind.GROUP)
    for day in range(2):
        booking(person, at=SEP.start + timedelta(days=day, hours=11), kind=SupportKind.GROUP)
    fig = pages.sessions_by_month(months_filter(SEP, OCT, NOV))
    clinical, group = SupportKind.CLINICAL.label, SupportKind.GROUP.label
    assert cell(fig, "Oct 2026", clinical).hidden
    assert cell(fig, "Oct 2026", group).hidden  # the complementary cell
    rows = {label: [str(c) for c in cells] for label, cells, _ in fig.table.body}
    assert "3" not in rows["Oct 2026"]
    # No line left with exactly one hidden cell: nothing can be subtracted back.
    grid = [cells for _, cells, _ in fig.table.body]
    for line in [*grid, *zip(*grid, strict=True)]:
        assert sum(c.hidden for c in line) != 1
    # The chart draws a hidden month as "<5", never as a bar of its height.
    september, october, _november = fig.chart.marks
    assert september.hidden and september.text == "<5"
    assert october.text == "13"


def test_debriefs_are_claimed_or_not_and_the_median_shows_only_from_5(app_ctx):
    person = UserFactory()
    for minutes in (10, 20, 30, 40, 50, 60):
        debrief(person, at=OCT.start + timedelta(days=2, minutes=minutes), claimed_after=timedelta(minutes=minutes))
    for _ in range(5):
        debrief(person, at=OCT.start + timedelta(days=3))
    for minutes in (5, 7):
        debrief(person, at=NOV.start + timedelta(days=1), claimed_after=timedelta(minutes=minutes))
    for _ in range(5):
        debrief(person, at=SEP.start + timedelta(days=1), claimed_after=timedelta(minutes=1))
    f = months_filter(SEP, OCT, NOV)
    assert peer_support.debriefs_by_month(f) == {"2026-09": (5, 0), "2026-10": (6, 5), "2026-11": (2, 0)}
    medians = peer_support.median_minutes_to_claim(f)
    assert medians["2026-10"] == pytest.approx(35, abs=0.01)
    assert medians["2026-11"] == pytest.approx(6, abs=0.01)
    fig = pages.debriefs(f)
    notes = {label: note for label, _cells, note in fig.table.body}
    assert notes["Oct 2026"] == "35 minutes"
    assert notes["Nov 2026"] == "Not shown"  # two waits: a median of 2 could point at someone
    assert cell(fig, "Nov 2026", "Claimed").hidden
    # September's 5 is hidden too (else the claimed total minus September and October gives November's 2), and so
    # is its median.
    assert cell(fig, "Sep 2026", "Claimed").hidden and notes["Sep 2026"] == "Not shown"


def test_mentoring_started_and_ended_by_month(app_ctx):
    mentee = UserFactory()
    for _ in range(5):
        mentoring(mentee, asked=OCT.start, accepted=OCT.start + timedelta(days=1))
    mentoring(mentee, asked=OCT.start, accepted=OCT.start + timedelta(days=1), ended=NOV.start + timedelta(days=2))
    mentoring(mentee, asked=OCT.start, accepted=OCT.start + timedelta(days=2), state=MentoringState.DECLINED)
    assert peer_support.mentoring_by_month(months_filter(OCT, NOV)) == {"2026-10": (6, 0), "2026-11": (0, 1)}


def test_units_split_the_figures_by_where_the_person_is(app_ctx):
    trust = UnitFactory(name="Trust")
    north = UnitFactory(name="North", parent=trust)
    south = UnitFactory(name="South", parent=trust)
    for _ in range(6):
        booking(UserFactory(unit=north), at=OCT.start + timedelta(days=1))
    booking(UserFactory(unit=south), at=OCT.start + timedelta(days=1))
    debrief(UserFactory(unit=north), at=OCT.start + timedelta(days=1))
    fig = pages.sessions_by_unit(months_filter(OCT, unit=trust))
    assert [label for label, _, _ in fig.table.body] == ["North", "South", "Trust (not in a team beneath)", "Total"]
    assert cell(fig, "South", "Total").hidden and cell(fig, "North", "Total").hidden  # 1 and what gives it away
    assert peer_support.debriefs_by_month(months_filter(OCT, unit=south)) == {}


def test_hr_never_sees_a_confidential_word_on_the_page_or_in_a_csv(app_ctx, as_user):
    person = UserFactory()
    for day in range(6):
        booking(person, at=OCT.start + timedelta(days=day), status=BookingStatus.CANCELLED if day == 0 else
                BookingStatus.ATTENDED)
        debrief(person, at=OCT.start + timedelta(days=day), claimed_after=timedelta(minutes=5))
        mentoring(person, asked=OCT.start, accepted=OCT.start + timedelta(days=day), ended=OCT.end)
    thank(UserFactory(), person, words=f"{SECRET.split('{')[0]} a private thank-you", created_at=OCT.start,
          visibility=Visibility.PRIVATE)
    hr = as_user(UserFactory(hr=True))
    texts = [hr.get(f"/insight/{page}?months=24").get_data(as_text=True)
             for page in ("peer-support", "", "recognition", "gaps", "signals")]
    texts += [hr.get(f"/insight/peer-support/{slug}.csv?months=24").get_data(as_text=True)
              for slug in pages.PEER_SUPPORT]
    texts += [hr.get(f"/insight/recognition/{slug}.csv?months=24").get_data(as_text=True)
              for slug in pages.RECOGNITION]
    texts.append(hr.get("/debriefs/insights", follow_redirects=True).get_data(as_text=True))
    assert all(SECRET.split("{")[0] not in text for text in texts)
    assert person.display_name not in texts[0]
    rows = list(csv.reader(io.StringIO(texts[5])))
    assert rows[0][0] == "Month"


def test_the_page_costs_the_same_queries_for_ten_rows_as_for_one(app_ctx, as_user, count_queries):
    hr = as_user(UserFactory(hr=True))
    person = UserFactory()
    booking(person, at=OCT.start + timedelta(days=1))
    debrief(person, at=OCT.start, claimed_after=timedelta(minutes=3))
    mentoring(person, asked=OCT.start, accepted=OCT.start)
    with count_queries() as one:
        assert hr.get("/insight/peer-support?months=24").status_code == 200
    for day in range(10):
        booking(UserFactory(unit=UnitFactory()), at=OCT.start + timedelta(days=day))
        debrief(person, at=OCT.start + timedelta(days=day), claimed_after=timedelta(minutes=day + 1))
        mentoring(person, asked=OCT.start, accepted=OCT.start + timedelta(days=day))
    with count_queries() as many:
        assert hr.get("/insight/peer-support?months=24").status_code == 200
    assert many.count == one.count
