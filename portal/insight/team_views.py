"""A line manager's insight into their own team, and the home page's "Waiting for you" nudge about it.

Line management is a relation, not a role: the page is open to everyone signed in and shows a team only to someone
who has reports (``policies.can_see_team_insight``); anyone else is told what the page is for. The people on it are
exactly the manager's own reports, so it can name them.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import render_page
from portal.home.waiting import WaitingItem
from portal.insight import team as team_queries
from portal.insight.charts import column_chart
from portal.insight.figures import count_table, table_csv
from portal.insight.pages import Figure
from portal.insight.periods import last_months
from portal.insight.policies import can_see_team_insight
from portal.insight.views import GAP_DAYS, gap_start

TEAM_MONTHS = 12


def waiting_items(user) -> list[WaitingItem]:
    """For line managers: how many of their reports nobody has thanked or nominated lately (one COUNT; people
    without reports get 0, which the home page does not show)."""
    return [WaitingItem(_("People you manage not thanked or nominated in the last %(n)s days", n=GAP_DAYS),
                        team_queries.count_unrecognised(user, since=gap_start()), url_for("insight.team"))]


def team_by_month(manager) -> Figure:
    months = last_months(TEAM_MONTHS)
    found = team_queries.team_thanks_by_month(manager, months)
    table = count_table([[found.get(m.key, 0)] for m in months], caption=_("Thank-yous your team received each month"),
                        row_heading=_("Month"), rows=[m.label for m in months], columns=[_("Thank-yous received")],
                        row_totals=False, suppress=False)
    chart = column_chart("team-by-month", _("Thank-yous your team received each month"),
                         [(m.label, m.short_label, c) for m, c in zip(months, table.column(0), strict=True)],
                         what=_("Thank-yous received by the people you manage, each month, %(first)s to %(last)s",
                                first=months[0].label, last=months[-1].label))
    return Figure("by-month", table, chart)


@signed_in
def team():
    if not can_see_team_insight(current_user):
        return render_page("insight/team.html", members=[], team_figure=None, gap_days=GAP_DAYS)
    members = team_queries.team(current_user, since=gap_start())
    return render_page("insight/team.html", members=members, team_figure=team_by_month(current_user), gap_days=GAP_DAYS,
                       unrecognised=[member for member in members if member.unrecognised])


@signed_in
def team_csv():
    """Someone without reports gets the file with its months and no thank-yous (their team is nobody)."""
    return table_csv(team_by_month(current_user).table, "team-thank-yous-by-month.csv")
