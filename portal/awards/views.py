"""Awards: open schemes, your nominations, and what is waiting for you.

Nominations are in nomination_views.py, the panel in panel_views.py, HR's schemes in scheme_views.py; the URL
rules are in blueprint.py.
"""

from __future__ import annotations

from datetime import date

from flask import request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from portal.awards.models import today_in_london
from portal.awards.queries import (
    announced_winners,
    count_to_endorse,
    count_to_review,
    nominations_for,
    nominations_made_by,
    nominations_to_endorse,
    open_schemes,
)
from portal.common.access import signed_in
from portal.common.htmx import render_page
from portal.common.roles import Role
from portal.home.waiting import WaitingItem
from portal.insight.policies import can_see_team_insight
from portal.insight.team import team_nominations


def waiting_items(user) -> list[WaitingItem]:
    """Nominations to endorse (line managers) and to review (panel members): two COUNT queries."""
    items = [WaitingItem(_("Nominations to endorse"), count_to_endorse(user), url_for("awards.index"))]
    if user.has_role(Role.PANEL):
        items.append(WaitingItem(_("Nominations to review"), count_to_review(user), url_for("awards.panel")))
    return items


def award_date(value: date | None) -> str:
    """Template filter: "Mon 2 Mar 2026" in the reader's language."""
    return "" if value is None else format_date(value, "EEE d MMM yyyy")


@signed_in
def index():
    made = nominations_made_by(current_user, cursor=request.args.get("made_after") or None)
    received = nominations_for(current_user, cursor=request.args.get("for_after") or None)
    # A line manager also sees the nominations of the people who report to them (the team view).
    team = (team_nominations(current_user, cursor=request.args.get("team_after") or None)
            if can_see_team_insight(current_user) else None)
    return render_page("awards/index.html", schemes=open_schemes(today_in_london()), made=made, received=received,
                       team=team, to_endorse=nominations_to_endorse(current_user), winners=announced_winners())
