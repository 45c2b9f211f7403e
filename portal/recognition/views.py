"""Recognition: the wall and a single thank-you. Saying thank you, reactions, moderation, values and people's
recognition pages live in the sibling ``*_views`` modules, imported at the end so they attach to ``bp``."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import render_page
from portal.extensions import db
from portal.home.waiting import WaitingItem, register_waiting_provider
from portal.org.models import Unit
from portal.org.queries import unit_choices
from portal.recognition import policies
from portal.recognition.forms import CommentForm, WallFilterForm
from portal.recognition.models import Post, Visibility
from portal.recognition.queries import (
    WallFilter,
    active_values,
    appreciated_by,
    count_open_reports,
    get_post,
    wall_page,
)

bp = Blueprint("recognition", __name__)


def _defaults(state) -> None:
    state.app.config.setdefault("RECOGNITION_EDIT_MINUTES", 5)
    register_waiting_provider(state.app, waiting_for_moderators)


bp.record_once(_defaults)


def waiting_for_moderators(user) -> list[WaitingItem]:
    if not policies.can_moderate_any(user):
        return []
    return [WaitingItem(_("Reported thank-yous and comments to review"), count_open_reports(user),
                        url_for("recognition.moderation"))]


@bp.app_context_processor
def _policies():
    return {"recognition": policies, "Visibility": Visibility}


def load_post(post_id: int) -> Post:
    """The post, if this person may see it; 404 otherwise (we do not reveal that a private one exists)."""
    post = get_post(post_id)
    if post is None or not policies.can_view(current_user, post):
        abort(404)
    return post


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.route("/wall")
@signed_in
def wall():
    values = active_values()
    form = WallFilterForm(request.args, unit_choices=unit_choices(), values=values)
    unit_id = _int_arg("unit")
    filters = WallFilter(unit=db.session.get(Unit, unit_id) if unit_id else None, value_id=_int_arg("value"),
                         kind=request.args.get("type") or None)
    page = wall_page(filters, cursor=request.args.get("after"), size=current_app.config["PAGE_SIZE"])
    block = "items" if request.args.get("after") else ("results" if request.headers.get("HX-Target") ==
                                                       "wall-results" else None)
    query = {k: v for k, v in request.args.items() if k in ("unit", "value", "type") and v}
    return render_page("recognition/wall.html", block=block, form=form, page=page, query=query,
                       appreciated=appreciated_by(current_user, page.items), filtered=bool(query))


@bp.route("/thanks/<int:post_id>")
@signed_in
def post(post_id: int):
    item = load_post(post_id)
    return render_page("recognition/post.html", post=item, comment_form=CommentForm(),
                       appreciated=appreciated_by(current_user, [item]))


from portal.recognition import (  # noqa: E402,F401  (attach their routes to bp; register jobs)
    moderation_views,
    monthly,
    profile_views,
    reaction_views,
    thank_views,
    value_views,
)
