"""Recognition over time, by value and by unit; gaps; signals; a line manager's team — from the queries up."""

from __future__ import annotations

from datetime import timedelta

from portal.db import utcnow
from portal.insight import pages, queries, team
from portal.insight.filters import InsightFilter, read_filter
from portal.insight.periods import last_months, month_key, month_of
from portal.org.picker import UnitChoice
from portal.recognition.models import Visibility
from portal.recognition.moderation import hide_post
from portal.recognition.services import withdraw_thank_you
from tests.awards.factories import make_scheme, nominate
from tests.factories import UnitFactory, UserFactory
from tests.insight.data import dated, utc
from tests.recognition.factories import thank


def months_filter(*months, unit=None) -> InsightFilter:
    picker = UnitChoice("unit", unit=unit, label=unit.name if unit else "")
    return InsightFilter(period=len(months), months=list(months), picker=picker)


def test_months_are_london_months_across_the_clock_change(app_ctx):
    """1 April 2026, 00:30 in London is 31 March, 23:30 UTC: it is April's thank-you."""
    march, april = month_of(2026, 3), month_of(2026, 4)
    giver, person = UserFactory(), UserFactory()
    thank(giver, person, created_at=utc(2026, 3, 31, 23, 30))  # 00:30 BST on 1 April
    thank(giver, person, created_at=utc(2026, 3, 31, 22, 59))  # 23:59 BST on 31 March
    thank(giver, person, created_at=utc(2026, 3, 1, 0, 0))  # midnight GMT on 1 March
    assert queries.thanks_by_month(months_filter(march, april)) == {"2026-03": 2, "2026-04": 1}
    assert april.start == utc(2026, 3, 31, 23, 0)


def test_the_last_months_end_with_this_london_month(app_ctx):
    months = last_months(12, now=utc(2026, 12, 31, 23, 30))
    assert [months[0].key, months[-1].key] == ["2026-01", "2026-12"]
    assert last_months(3, now=utc(2027, 1, 1, 0, 30))[-1].key == "2027-01"
    assert month_key is not None


def test_thank_yous_count_each_person_and_team_thanked_and_leave_out_withdrawn_and_hidden(app_ctx):
    nov = month_of(2026, 10)
    giver, a, b = UserFactory(), UserFactory(), UserFactory()
    at = nov.start + timedelta(days=3)
    thank(giver, a, b, created_at=at)  # two people thanked: two
    thank(giver, team=a.unit, created_at=at)  # a team: one
    withdrawn = thank(giver, a, created_at=at)
    withdraw_thank_you(post=withdrawn, actor=giver, now=at)
    hidden = thank(giver, b, created_at=at)
    hide_post(post=hidden, actor=UserFactory(hr=True), reason="Names a patient", now=at)
    assert queries.thanks_by_month(months_filter(nov)) == {"2026-10": 3}


def test_a_unit_filter_takes_the_unit_and_everything_beneath_it(app_ctx):
    oct_ = month_of(2026, 10)
    trust = UnitFactory(name="Trust")
    pals = UnitFactory(name="PALS", parent=trust)
    north = UnitFactory(name="North", parent=pals)
    south = UnitFactory(name="South", parent=trust)
    giver = UserFactory(unit=south)
    at = oct_.start + timedelta(days=1)
    thank(giver, UserFactory(unit=north), UserFactory(unit=pals), created_at=at, values=("Listened", "Timely"))
    thank(giver, UserFactory(unit=south), created_at=at)
    assert queries.thanks_by_month(months_filter(oct_, unit=pals)) == {"2026-10": 2}
    by_unit = pages.recognition_by_unit(months_filter(oct_, unit=pals))
    assert [(row, cells[0].value) for row, cells, _ in by_unit.table.body] == [
        ("North", 1), ("PALS (not in a team beneath)", 1), ("Total", 2)]
    everywhere = dict((b.label, n) for b, n in queries.thanks_by_unit(months_filter(oct_)))
    assert everywhere["Trust"] == 3
    values = dict(queries.thanks_by_value(months_filter(oct_, unit=pals)))
    assert values["Listened"] == 2 and values["Timely"] == 2 and values["Respectful"] == 0


def test_nominations_by_month_leave_out_withdrawn_ones(app_ctx):
    sep = month_of(2026, 9)
    scheme = make_scheme()
    person = UserFactory()
    dated(nominate(scheme, nominee=person), sep.start + timedelta(hours=2))
    gone = dated(nominate(scheme, nominee=UserFactory()), sep.start + timedelta(hours=3))
    from portal.awards.services import withdraw_nomination

    withdraw_nomination(nomination=gone, actor=gone.nominator)
    assert queries.nominations_by_month(months_filter(sep)) == {"2026-09": 1}


def test_gaps_are_people_and_teams_nobody_thanked_or_nominated_lately(app_ctx):
    unit = UnitFactory(name="Night shift")
    quiet = UserFactory(unit=unit, display_name="Quiet Achiever")
    thanked = UserFactory(unit=unit, display_name="Thanked Lately")
    nominated = UserFactory(unit=unit, display_name="Nominated Lately")
    UserFactory(unit=unit, display_name="Left Already", is_active_account=False)
    giver = UserFactory()
    now = utcnow()
    thank(giver, quiet, created_at=now - timedelta(days=120))
    thank(giver, thanked, created_at=now - timedelta(days=10))
    nominate(make_scheme(), nominee=nominated)
    since = now - timedelta(days=90)
    page = queries.people_without_recognition(unit, since=since, cursor=None, size=10)
    assert [p.display_name for p in page.items] == ["Quiet Achiever"]
    assert queries.count_people_without_recognition(unit, since=since) == 1
    assert queries.last_recognised([quiet.id])[quiet.id] < since

    empty = UnitFactory(name="Nobody thanked")
    UserFactory(unit=empty)
    UnitFactory(name="Nobody works here")
    teams = queries.teams_without_recognition(None, since=since, cursor=None, size=500)
    names = {u.name for u in teams.items}
    assert "Nobody thanked" in names and "Night shift" not in names and "Nobody works here" not in names
    assert queries.people_in_units([empty.id]) == {empty.id: 1}


def test_reciprocal_pairs_are_public_thanks_both_ways(app_ctx):
    aug = month_of(2026, 8)
    at = aug.start + timedelta(days=2)
    ann, bob, cat = UserFactory(display_name="Ann"), UserFactory(display_name="Bob"), UserFactory()
    for _ in range(3):
        thank(ann, bob, created_at=at)
    for _ in range(2):
        thank(bob, ann, created_at=at)
        thank(cat, ann, created_at=at)  # one way only
        thank(ann, cat, created_at=at, visibility=Visibility.PRIVATE)  # private: HR cannot read it
    [pair] = queries.reciprocal_pairs(months_filter(aug))
    assert {pair.first.display_name, pair.second.display_name} == {"Ann", "Bob"}
    assert sorted([pair.first_to_second, pair.second_to_first]) == [2, 3]


def test_the_same_nomination_twice_is_a_signal(app_ctx):
    scheme = make_scheme(name="Stars")
    nominator, nominee = UserFactory(display_name="Nora"), UserFactory(display_name="Ned")
    for _ in range(2):
        nominate(scheme, nominator=nominator, nominee=nominee, allow_duplicate=True)
    nominate(scheme, nominator=nominator, nominee=UserFactory())
    f = read_filter({"months": "3"})
    [duplicate] = queries.duplicate_nominations(f)
    assert (duplicate.scheme.name, duplicate.nominator.display_name, duplicate.nominee_name, duplicate.count) == (
        "Stars", "Nora", "Ned", 2)


def test_a_line_managers_team_counts_private_thanks_to_their_reports(app_ctx):
    boss = UserFactory()
    ann = UserFactory(manager=boss, display_name="Ann")
    bea = UserFactory(manager=boss, display_name="Bea")
    UserFactory(manager=boss, display_name="Gone", is_active_account=False)
    stranger = UserFactory()
    now = utcnow()
    thank(stranger, ann, created_at=now - timedelta(days=2), visibility=Visibility.PRIVATE)
    thank(stranger, bea, created_at=now - timedelta(days=200))
    thank(stranger, stranger_b := UserFactory(), created_at=now)
    members = team.team(boss, since=now - timedelta(days=90))
    assert [(m.person.display_name, m.thanks, m.unrecognised) for m in members] == [("Ann", 1, False),
                                                                                   ("Bea", 0, True)]
    assert members[1].last_thanked is not None
    assert team.count_unrecognised(boss, since=now - timedelta(days=90)) == 1
    assert team.count_unrecognised(stranger_b, since=now) == 0
    assert sum(team.team_thanks_by_month(boss, last_months(12)).values()) == 2
