"""De-briefs after a difficult contact: ask (anyone), pick up and follow up (supporters).

The rota, HR's settings and HR's figures are in admin_views.py; the URL rules are in blueprint.py.
"""

from __future__ import annotations

import uuid

from flask import current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import role_required, signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt, writes
from portal.debriefs import policies, queries
from portal.debriefs.forms import HeldForm, RequestForm
from portal.debriefs.models import DebriefRequest
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
from portal.home.waiting import WaitingItem


def waiting_items(user) -> list[WaitingItem]:
    if not user.has_role(Role.SUPPORTER):
        return []
    return [
        WaitingItem(_("De-briefs to claim"), queries.count_to_claim(user), url_for("debriefs.queue")),
        WaitingItem(_("De-briefs you are looking after"), queries.count_looking_after(user),
                    url_for("debriefs.queue")),
    ]


def _signposting():
    return render_signposting(current_settings().signposting)


@signed_in
def new():
    form = RequestForm()
    form.request_key.data = form.request_key.data or uuid.uuid4().hex
    if form.validate_on_submit():
        with attempt(form) as outcome:
            item = create_request(requester=current_user, urgency=form.urgency.data, kind=form.kind.data,
                                  note=form.note.data, contact_method=form.contact_method.data,
                                  contact_detail=form.contact_detail.data, idempotency_key=form.request_key.data)
        if outcome.ok:
            return redirect_after_post(url_for("debriefs.sent", request_id=item.id))
    return render_page("debriefs/new.html", form=form, signposting=_signposting())


@signed_in
@load("request_id", DebriefRequest, can=policies.can_see_as_requester, hide=True, into="item")
def sent(item: DebriefRequest):
    return render_page("debriefs/sent.html", item=item, signposting=_signposting())


@signed_in
def mine():
    return render_page("debriefs/mine.html", items=queries.own_requests(current_user))


@signed_in
@writes
@load("request_id", DebriefRequest, can=policies.can_view, hide=True, into="item")
def show(item: DebriefRequest):
    note_read(request=item, reader=current_user)
    return _render_show(item, HeldForm())


def _render_show(item: DebriefRequest, held_form: HeldForm):
    return render_page("debriefs/show.html", item=item, held_form=held_form, signposting=_signposting())


@role_required(Role.SUPPORTER)
def queue():
    page = queries.to_claim(current_user, cursor=request.args.get("after"), size=current_app.config["PAGE_SIZE"])
    return render_page("debriefs/queue.html", block="to_claim" if request.args.get("after") else None,
                       page=page, mine=queries.looking_after(current_user))


@role_required(Role.SUPPORTER)
@load("request_id", DebriefRequest, can=policies.can_claim, hide=True, into="item")
def claim(item: DebriefRequest):
    with attempt() as outcome:
        claim_request(request=item, supporter=current_user)
    if not outcome.ok:
        return redirect_after_post(url_for("debriefs.queue"))
    flash(_("You have claimed this de-brief. Get in touch the way they asked."), "success")
    return redirect_after_post(url_for("debriefs.show", request_id=item.id))


@signed_in
@load("request_id", DebriefRequest, can=policies.can_act_as_supporter, hide=True, into="item")
def held(item: DebriefRequest):
    form = HeldForm()
    if not form.validate_on_submit():
        note_read(request=item, reader=current_user)
        return _render_show(item, form)
    return _step(item, record_held, _("Recorded. We will remind you about the 72-hour and 1-month check-ins."),
                 session_note=form.session_note.data or "")


@signed_in
@load("request_id", DebriefRequest, can=policies.can_act_as_supporter, hide=True, into="item")
def check_in(item: DebriefRequest):
    return _step(item, record_check_in, _("Check-in recorded."))


@signed_in
@load("request_id", DebriefRequest, can=policies.can_act_as_supporter, hide=True, into="item")
def close(item: DebriefRequest):
    return _step(item, close_request, _("De-brief closed. Thank you for looking after them."))


def _step(item: DebriefRequest, action, message: str, **kwargs):
    with attempt() as outcome:
        action(request=item, supporter=current_user, **kwargs)
    if outcome.ok:
        flash(message, "success")
    return redirect_after_post(url_for("debriefs.show", request_id=item.id))
