"""Awards: open schemes, your nominations, and what is waiting for you. Other pages are in the *_views modules."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from portal.awards import policies
from portal.awards.queries import (
    announced_winners,
    count_to_endorse,
    count_to_review,
    nominations_for,
    nominations_made_by,
    nominations_to_endorse,
    open_schemes,
)
from portal.awards.services import today_in_london
from portal.common.access import signed_in
from portal.common.htmx import render_page
from portal.common.roles import Role
from portal.home.waiting import WaitingItem, register_waiting_provider

bp = Blueprint("awards", __name__)


def waiting_items(user) -> list[WaitingItem]:
    """Nominations to endorse (line managers) and to review (panel members): two COUNT queries."""
    items = [WaitingItem(_("Nominations to endorse"), count_to_endorse(user), url_for("awards.index"))]
    if user.has_role(Role.PANEL):
        items.append(WaitingItem(_("Nominations to review"), count_to_review(user), url_for("awards.panel")))
    return items


bp.record_once(lambda state: register_waiting_provider(state.app, waiting_items))


@bp.app_template_filter("award_date")
def award_date(value: date | None) -> str:
    return "" if value is None else format_date(value, "EEE d MMM yyyy")


@bp.context_processor
def award_policies() -> dict:
    return {"award": policies.POLICIES}


@bp.route("/awards")
@signed_in
def index():
    made = nominations_made_by(current_user, cursor=request.args.get("made_after") or None)
    received = nominations_for(current_user, cursor=request.args.get("for_after") or None)
    return render_page("awards/index.html", schemes=open_schemes(today_in_london()), made=made, received=received,
                       to_endorse=nominations_to_endorse(current_user), winners=announced_winners())


from portal.awards import jobs, nomination_views, panel_views, scheme_views  # noqa: E402, F401  (attach routes)
