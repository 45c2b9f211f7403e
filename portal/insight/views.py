"""HR's insight pages: recognition over time, recognition gaps, signals, and peer-support figures; each chart's data
as CSV. The line manager's team page is in team_views.py; the URL rules are in blueprint.py."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, request

from portal.common.access import role_required
from portal.common.htmx import render_page
from portal.common.london import day_bounds, london_today
from portal.common.roles import Role
from portal.insight import pages, queries
from portal.insight.figures import table_csv
from portal.insight.filters import read_filter
from portal.org.queries import labels_for

GAP_DAYS = 90


def gap_start():
    """The start of the London day ``GAP_DAYS`` ago: "in the last 90 days"."""
    return day_bounds(london_today() - timedelta(days=GAP_DAYS))[0]


def csv_download(page: str, slug: str, build):
    """The view for one figure's CSV (HR only), for the figure's own address."""

    @role_required(Role.HR)
    def download():
        f = read_filter(request.args)
        unit = f"-unit-{f.unit.id}" if f.unit is not None else ""
        return table_csv(build(f).table, f"{page}-{slug}-{f.months[0].key}-to-{f.months[-1].key}{unit}.csv")

    download.__name__ = download.__qualname__ = f"{page.replace('-', '_')}_{slug.replace('-', '_')}_csv"
    return download


@role_required(Role.HR)
def index():
    since = gap_start()
    return render_page("insight/index.html", gap_days=GAP_DAYS,
                       people=queries.count_people_without_recognition(None, since=since),
                       teams=queries.count_teams_without_recognition(None, since=since))


@role_required(Role.HR)
def recognition():
    f = read_filter(request.args)
    return render_page("insight/recognition.html", f=f, figures=[build(f) for build in pages.RECOGNITION.values()],
                       csv_endpoint="insight.recognition_csv_")




@role_required(Role.HR)
def peer_support():
    f = read_filter(request.args)
    return render_page("insight/peer_support.html", f=f,
                       figures=[build(f) for build in pages.PEER_SUPPORT.values()],
                       csv_endpoint="insight.peer_support_csv_")




@role_required(Role.HR)
def gaps():
    f = read_filter(request.args)
    since, size = gap_start(), current_app.config["PAGE_SIZE"]
    people = queries.people_without_recognition(f.unit, since=since, cursor=request.args.get("people_after"),
                                                size=size)
    teams = queries.teams_without_recognition(f.unit, since=since, cursor=request.args.get("teams_after"), size=size)
    return render_page(
        "insight/gaps.html", f=f, gap_days=GAP_DAYS, people=people, teams=teams,
        people_count=queries.count_people_without_recognition(f.unit, since=since),
        teams_count=queries.count_teams_without_recognition(f.unit, since=since),
        last_thanked=queries.last_recognised([person.id for person in people.items]),
        headcount=queries.people_in_units([unit.id for unit in teams.items]),
        labels=labels_for([*teams.items, *(person.unit for person in people.items)]))


@role_required(Role.HR)
def signals():
    f = read_filter(request.args)
    return render_page("insight/signals.html", f=f, pairs=queries.reciprocal_pairs(f),
                       duplicates=queries.duplicate_nominations(f))


RECOGNITION_CSV = {slug: csv_download("recognition", slug, build) for slug, build in pages.RECOGNITION.items()}
PEER_SUPPORT_CSV = {slug: csv_download("peer-support", slug, build) for slug, build in pages.PEER_SUPPORT.items()}
