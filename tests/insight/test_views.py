"""The insight pages as people reach them: who gets in, what the CSV files look like, the old address of HR's
figures, a line manager's team page and the awards page's team view."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.insight.policies import can_see_team_insight
from tests.awards.factories import make_scheme, nominate
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import thank

HR_PAGES = ["/insight", "/insight/recognition", "/insight/gaps", "/insight/signals", "/insight/peer-support",
            "/insight/recognition/by-month.csv", "/insight/recognition/by-value.csv",
            "/insight/recognition/by-unit.csv", "/insight/peer-support/sessions-by-month.csv",
            "/insight/peer-support/sessions-by-unit.csv", "/insight/peer-support/debriefs.csv",
            "/insight/peer-support/mentoring.csv"]


@pytest.mark.parametrize("url", HR_PAGES)
def test_hr_pages_are_for_hr_only(app_ctx, as_user, url):
    assert as_user(UserFactory(hr=True)).get(url).status_code == 200
    boss = UserFactory()
    UserFactory(manager=boss)
    for person in (UserFactory(), UserFactory(admin=True), UserFactory(supporter=True), boss):
        assert as_user(person).get(url).status_code == 403


def test_a_csv_is_a_download_named_after_its_figure_period_and_unit(app_ctx, as_user):
    unit = UnitFactory(name="=cmd|' /C calc'!A0")
    thank(UserFactory(), UserFactory(unit=unit), created_at=utcnow())
    response = as_user(UserFactory(hr=True)).get(f"/insight/recognition/by-unit.csv?months=3&unit={unit.id}")
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "recognition-by-unit-" in disposition
    assert f"-unit-{unit.id}.csv" in disposition
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Unit", "Thank-yous received"]
    assert rows[1][0].startswith("'=")  # a unit's name cannot run as a formula
    assert rows[-1] == ["Total", "1"]


def test_the_filter_takes_a_period_and_a_unit_and_ignores_nonsense(app_ctx, as_user):
    hr = as_user(UserFactory(hr=True))
    unit = UnitFactory(name="Jobcentre Leeds")
    page = hr.get(f"/insight/recognition?months=6&unit={unit.id}").get_data(as_text=True)
    assert "Jobcentre Leeds" in page and '<option value="6" selected>' in page
    page = hr.get("/insight/recognition?months=7&unit=abc").get_data(as_text=True)
    assert '<option value="12" selected>' in page and "the whole organisation" in page
    found = hr.get("/insight/recognition?unit_q=Leeds").get_data(as_text=True)
    assert f'value="{unit.id}"' in found


def test_hrs_old_figures_address_moves_permanently_to_the_peer_support_page(app_ctx, as_user):
    response = as_user(UserFactory(hr=True)).get("/debriefs/insights?months=6")
    assert response.status_code == 301
    assert response.headers["Location"].startswith("/insight/peer-support")


def test_the_gaps_page_names_people_nobody_thanked_and_shows_more_on_request(app, app_ctx, as_user):
    unit = UnitFactory(name="Night shift")
    size = app.config["PAGE_SIZE"]
    for n in range(size + 2):
        UserFactory(unit=unit, display_name=f"Night worker {n:03d}")
    hr = as_user(UserFactory(hr=True))
    page = hr.get(f"/insight/gaps?unit={unit.id}").get_data(as_text=True)
    assert "Night worker 000" in page and f"Night worker {size + 1:03d}" not in page
    assert f"People with no recognition ({size + 2})" in page
    assert "Show more people" in page
    more = re.search(r'href="([^"]*people_after[^"]*)"', page).group(1)
    following = hr.get(html.unescape(more)).get_data(as_text=True)
    assert f"Night worker {size + 1:03d}" in following


def test_a_line_manager_sees_their_own_team_and_nobody_else(app_ctx, as_user):
    boss = UserFactory()
    UserFactory(manager=boss, display_name="Tom Byrne", job_title="Night shift adviser")
    UserFactory(display_name="Someone Else")
    page = as_user(boss).get("/insight/team").get_data(as_text=True)
    assert "Tom Byrne" in page and "Someone Else" not in page
    assert "1 person has not been thanked or nominated in the last 90 days." in page
    assert "This page is for line managers." in as_user(UserFactory()).get("/insight/team").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(as_user(boss).get("/insight/team/by-month.csv").get_data(as_text=True))))
    assert rows[0] == ["Month", "Thank-yous received"] and len(rows) == 14


def test_line_managers_are_nudged_from_the_home_page(app_ctx, as_user):
    boss = UserFactory()
    report = UserFactory(manager=boss)
    home = as_user(boss).get("/").get_data(as_text=True)
    assert "People you manage not thanked or nominated in the last 90 days" in home
    thank(UserFactory(), report, created_at=utcnow() - timedelta(days=1))
    assert "People you manage not thanked" not in as_user(boss).get("/").get_data(as_text=True)
    assert "People you manage not thanked" not in as_user(UserFactory()).get("/").get_data(as_text=True)


def test_the_awards_page_shows_a_line_manager_the_nominations_of_their_reports(app_ctx, as_user):
    boss = UserFactory()
    report = UserFactory(manager=boss, display_name="Amara Okafor")
    nominate(make_scheme(name="Patient Experience Awards"), nominee=report)
    nominate(make_scheme(name="Other"), nominee=UserFactory(display_name="Not Theirs"))
    page = as_user(boss).get("/awards").get_data(as_text=True)
    team = page.split('id="team-heading"')[1].split("</section>")[0]
    assert "Amara Okafor" in team and "Not Theirs" not in team
    assert 'id="team-heading"' not in as_user(UserFactory()).get("/awards").get_data(as_text=True)


def test_the_awards_team_view_pages_in_constant_queries(app_ctx, as_user, count_queries):
    boss = UserFactory()
    scheme = make_scheme()
    nominate(scheme, nominee=UserFactory(manager=boss))
    client = as_user(boss)
    with count_queries() as one:
        client.get("/awards")
    for _ in range(6):
        nominate(scheme, nominee=UserFactory(manager=boss))
    with count_queries() as many:
        client.get("/awards")
    assert many.count == one.count


def test_team_insight_is_for_people_with_active_reports(app_ctx):
    boss, left = UserFactory(), UserFactory()
    UserFactory(manager=boss)
    UserFactory(manager=left, is_active_account=False)
    assert can_see_team_insight(boss)
    assert not can_see_team_insight(left)
    assert not can_see_team_insight(UserFactory())


def _recognition_in(unit, boss, *, people: int, first: int = 0):
    """``people`` reports of ``boss`` in ``unit``, each thanked both ways with a colleague and nominated twice by
    the same person; and as many people nobody thanked."""
    scheme = make_scheme()
    for n in range(first, first + people):
        a, b = UserFactory(unit=unit, manager=boss), UserFactory(unit=unit, manager=boss)
        for _ in range(2):
            thank(a, b, created_at=utcnow() - timedelta(days=3))
            thank(b, a, created_at=utcnow() - timedelta(days=2))
        nominate(scheme, nominator=b, nominee=a)
        nominate(scheme, nominator=b, nominee=a, allow_duplicate=True)
        UserFactory(unit=UnitFactory(name=f"Quiet team {n} {unit.id}", parent=unit), manager=boss)


def test_hr_pages_and_the_team_page_cost_the_same_queries_for_many_rows_as_for_one(app_ctx, as_user,
                                                                                     count_queries):
    trust = UnitFactory(name="Trust")
    boss = UserFactory(unit=trust)
    hr, manager = as_user(UserFactory(hr=True, unit=trust)), as_user(boss)
    pages = [(hr, "/insight"), (hr, f"/insight/recognition?unit={trust.id}"), (hr, f"/insight/gaps?unit={trust.id}"),
             (hr, "/insight/signals"), (manager, "/insight/team"), (manager, "/awards")]
    _recognition_in(trust, boss, people=1)
    counts = {}
    for client, url in pages:
        with count_queries() as one:
            assert client.get(url).status_code == 200
        counts[url] = one.count
    _recognition_in(trust, boss, people=3, first=1)
    for client, url in pages:
        with count_queries() as many:
            page = client.get(url)
        assert page.status_code == 200
        assert many.count == counts[url], url
