"""Recognition: the wall and a single thank-you, and the moderators' "Waiting for you" count.

Saying thank you, reactions, moderation, values and people's recognition pages are in the sibling ``*_views``
modules; the URL rules are in blueprint.py.
"""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import render_page
from portal.common.loading import load
from portal.common.params import parse_id
from portal.home.waiting import WaitingItem
from portal.recognition import policies
from portal.recognition.forms import CommentForm, WallFilterForm
from portal.recognition.models import Post, PostKind
from portal.recognition.queries import WallFilter, active_values, appreciated_by, count_open_reports, wall_page


def waiting_for_moderators(user) -> list[WaitingItem]:
    if not policies.can_moderate_any(user):
        return []
    return [WaitingItem(_("Reported thank-yous and comments to review"), count_open_reports(user),
                        url_for("recognition.moderation"))]


def _wall_filter(form: WallFilterForm) -> tuple[WallFilter, dict]:
    """The filters from the query string (anything that is not an id or a kind is ignored; ``unit`` is a unit's id,
    chosen with the unit picker), and the same filters as query arguments for the "Show more" link."""
    unit, value_id = form.unit.unit, parse_id(request.args.get("value"))
    kind = {member.value: member for member in PostKind}.get(request.args.get("type", ""))
    filters = WallFilter(unit=unit, value_id=value_id, kind=kind)
    query = {"unit": unit.id if unit else None, "value": value_id, "type": kind}
    return filters, {name: value for name, value in query.items() if value}


@signed_in
def wall():
    form = WallFilterForm(request.args, values=active_values())
    filters, query = _wall_filter(form)
    page = wall_page(filters, cursor=request.args.get("after"), size=current_app.config["PAGE_SIZE"])
    if request.args.get("after"):
        block = "items"
    else:
        block = "results" if request.headers.get("HX-Target") == "wall-results" else None
    return render_page("recognition/wall.html", block=block, form=form, page=page, query=query,
                       appreciated=appreciated_by(current_user, page.items), filtered=bool(query))


@signed_in
@load("post_id", Post, can=policies.can_view, hide=True)
def post(post: Post):
    return render_post(post, CommentForm())


def render_post(post: Post, comment_form: CommentForm):
    """The thank-you's page (also with a comment form that came back with errors)."""
    return render_page("recognition/post.html", post=post, comment_form=comment_form,
                       comments=policies.visible_comments(current_user, post),
                       editable_until=policies.editable_until(post), appreciated=appreciated_by(current_user, [post]))
