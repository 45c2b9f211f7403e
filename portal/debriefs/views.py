"""De-briefs after a difficult contact: ask (anyone), pick up and follow up (supporters).

The rota, HR's settings and HR's figures are in admin_views.py (imported at the end so they attach to ``bp``).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import role_required, signed_in
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.db import serialized_writes
from portal.debriefs import jobs as _jobs  # noqa: F401  (registers the job handlers for the worker)
from portal.debriefs import policies, queries
from portal.debriefs.forms import HeldForm, RequestForm
from portal.debriefs.models import ContactMethod, DebriefKind, DebriefRequest, Urgency
from portal.debriefs.services import (
    claim_request,
    close_request,
    create_request,
    current_settings,
    note_read,
    record_check_in,
    record_held,
)
from portal.debriefs.signposting import render_signposting
from portal.extensions import db
from portal.home.waiting import WaitingItem, register_waiting_provider

bp = Blueprint("debriefs", __name__)


def _waiting(user) -> list[WaitingItem]:
    if not user.has_role(Role.SUPPORTER):
        return []
    return [
        WaitingItem(_("De-briefs to claim"), queries.count_to_claim(user), url_for("debriefs.queue")),
        WaitingItem(_("De-briefs you are looking after"), queries.count_looking_after(user),
                    url_for("debriefs.queue")),
    ]


bp.record_once(lambda state: register_waiting_provider(state.app, _waiting))


@bp.app_context_processor
def _policies():
    return {"debrief_policies": policies}


def _load(request_id: int) -> DebriefRequest:
    item = db.session.get(DebriefRequest, request_id)
    if item is None:
        abort(404)
    return item


def _viewable(request_id: int) -> DebriefRequest:
    """Confidential: anyone but the requester and the claiming supporter gets a 404 (not even that it exists)."""
    item = _load(request_id)
    if not policies.can_view(current_user, item):
        abort(404)
    return item


def _signposting():
    return render_signposting(current_settings().signposting)


@bp.route("/debrief/new", methods=["GET", "POST"])
@signed_in
def new():
    form = RequestForm()
    if not form.request_key.data:
        form.request_key.data = uuid.uuid4().hex
    if form.validate_on_submit():
        try:
            item = create_request(requester=current_user, urgency=form.urgency.data, kind=form.kind.data,
                                  note=form.note.data, contact_method=form.contact_method.data,
                                  contact_detail=form.contact_detail.data, idempotency_key=form.request_key.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            return redirect_after_post(url_for("debriefs.sent", request_id=item.id))
    return render_page("debriefs/new.html", form=form, signposting=_signposting())


@bp.route("/debriefs/<int:request_id>/sent")
@signed_in
def sent(request_id: int):
    item = _load(request_id)
    if not policies.is_requester(current_user, item):
        abort(404)
    return render_page("debriefs/sent.html", item=item, signposting=_signposting())


@bp.route("/debriefs")
@signed_in
def mine():
    return render_page("debriefs/mine.html", items=queries.own_requests(current_user))


@bp.route("/debriefs/<int:request_id>")
@signed_in
def show(request_id: int):
    item = _viewable(request_id)
    note_read(request=item, reader=current_user)
    db.session.commit()
    return _render_show(item, HeldForm())


def _render_show(item: DebriefRequest, held_form: HeldForm):
    return render_page("debriefs/show.html", item=item, held_form=held_form, signposting=_signposting(),
                       urgency_label=Urgency(item.urgency).label,
                       kind_label=DebriefKind(item.kind).label if item.kind else None,
                       contact_label=ContactMethod(item.contact_method).label)


@bp.route("/debriefs/queue")
@role_required(Role.SUPPORTER)
def queue():
    page = queries.to_claim(current_user, cursor=request.args.get("after"), size=current_app.config["PAGE_SIZE"])
    return render_page("debriefs/queue.html", block="to_claim" if request.args.get("after") else None,
                       page=page, mine=queries.looking_after(current_user))


@bp.route("/debriefs/<int:request_id>/claim", methods=["POST"])
@role_required(Role.SUPPORTER)
def claim(request_id: int):
    db.session.commit()  # end the read transaction, so on SQLite the claim below takes the write lock up front
    with serialized_writes():
        item = _load(request_id)
        if not item.is_recipient(current_user) or policies.is_requester(current_user, item):
            abort(404)
        try:
            claim_request(request=item, supporter=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
            return redirect_after_post(url_for("debriefs.queue"))
        db.session.commit()
    flash(_("You have claimed this de-brief. Get in touch the way they asked."), "success")
    return redirect_after_post(url_for("debriefs.show", request_id=request_id))


def _step(request_id: int, allowed, action, message: str, **kwargs):
    item = _viewable(request_id)
    if not allowed(current_user, item):
        abort(403)
    try:
        action(request=item, supporter=current_user, **kwargs)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect_after_post(url_for("debriefs.show", request_id=request_id))


@bp.route("/debriefs/<int:request_id>/held", methods=["POST"])
@signed_in
def held(request_id: int):
    form = HeldForm()
    if not form.validate_on_submit():
        item = _viewable(request_id)
        note_read(request=item, reader=current_user)
        db.session.commit()
        return _render_show(item, form)
    return _step(request_id, policies.can_record_held, record_held,
                 _("Recorded. We will remind you about the 72-hour and 1-month check-ins."),
                 session_note=form.session_note.data or "")


@bp.route("/debriefs/<int:request_id>/check-in", methods=["POST"])
@signed_in
def check_in(request_id: int):
    return _step(request_id, policies.can_check_in, record_check_in, _("Check-in recorded."))


@bp.route("/debriefs/<int:request_id>/close", methods=["POST"])
@signed_in
def close(request_id: int):
    return _step(request_id, policies.can_close, close_request, _("De-brief closed. Thank you for looking after them."))


from portal.debriefs import admin_views  # noqa: E402,F401  (attaches the rota, settings and figures pages)
