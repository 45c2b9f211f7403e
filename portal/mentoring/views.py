"""Mentoring: find a mentor, ask, answer, agree, check after the first session, end."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import User
from portal.common.access import signed_in
from portal.common.errors import DomainError
from portal.common.forms import attach_error, parse_id
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.db import serialized_writes
from portal.extensions import db
from portal.home.waiting import WaitingItem, register_waiting_provider
from portal.mentoring import jobs as _jobs  # noqa: F401  (registers the job handlers for the worker)
from portal.mentoring import policies, queries
from portal.mentoring.forms import AgreementForm, AskForm, CheckForm, EndForm, MentorSearchForm
from portal.mentoring.models import EndReason, Mentoring
from portal.mentoring.services import (
    accept_request,
    decline_request,
    end_mentoring,
    mentor_profile,
    note_read,
    record_agreement,
    record_first_check,
    request_mentor,
)

bp = Blueprint("mentoring", __name__)


def _waiting(user) -> list[WaitingItem]:
    if not user.has_role(Role.SUPPORTER):
        return []
    return [WaitingItem(_("Mentoring requests to answer"), queries.count_to_answer(user), url_for("mentoring.index"))]


bp.record_once(lambda state: register_waiting_provider(state.app, _waiting))


@bp.app_context_processor
def _policies():
    return {"mentoring_policies": policies}


@bp.route("/mentoring")
@signed_in
def index():
    return render_page("mentoring/index.html", as_mentee=queries.as_mentee(current_user),
                       as_mentor=queries.as_mentor(current_user) if current_user.has_role(Role.SUPPORTER) else [])


@bp.route("/mentoring/mentors")
@signed_in
def mentors():
    form = MentorSearchForm(request.args)
    form.validate()
    exclude = {current_user.id}
    if (excluded := parse_id(request.args.get("exclude"))) is not None:
        exclude.add(excluded)
    cards = queries.mentors(looking_for=form.q.data or "", exclude_ids=exclude)
    return render_page("mentoring/mentors.html", block="results", form=form, cards=cards)


def _mentor_or_404(user_id: int) -> User:
    mentor = db.session.get(User, user_id)
    if mentor is None or mentor_profile(user_id) is None:
        abort(404)
    return mentor


@bp.route("/mentoring/mentors/<int:user_id>/ask", methods=["GET", "POST"])
@signed_in
def ask(user_id: int):
    mentor = _mentor_or_404(user_id)
    form = AskForm()
    if form.validate_on_submit():
        try:
            mentoring = request_mentor(mentee=current_user, mentor=mentor, goals=form.goals.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Request sent to %(name)s. We will tell you when they answer.", name=mentor.display_name),
                  "success")
            return redirect_after_post(url_for("mentoring.show", mentoring_id=mentoring.id))
    return render_page("mentoring/ask.html", form=form, mentor=mentor, profile=mentor_profile(user_id))


def _viewable(mentoring_id: int) -> Mentoring:
    """Confidential: anyone but the mentee and the mentor gets a 404."""
    mentoring = db.session.get(Mentoring, mentoring_id)
    if mentoring is None or not policies.can_view(current_user, mentoring):
        abort(404)
    return mentoring


def _render_show(mentoring: Mentoring, **forms):
    note_read(mentoring=mentoring, reader=current_user)
    db.session.commit()
    forms.setdefault("agreement_form", AgreementForm(obj=mentoring))
    forms.setdefault("check_form", CheckForm())
    forms.setdefault("end_form", EndForm())
    others = []
    if mentoring.state in ("declined", "lapsed") and policies.is_mentee(current_user, mentoring):
        others = queries.mentors(looking_for=mentoring.goals or "",
                                 exclude_ids={current_user.id, mentoring.mentor_id})[:3]
    return render_page("mentoring/show.html", mentoring=mentoring, others=others,
                       end_reason=EndReason(mentoring.end_reason).label if mentoring.end_reason else None, **forms)


@bp.route("/mentoring/<int:mentoring_id>")
@signed_in
def show(mentoring_id: int):
    return _render_show(_viewable(mentoring_id))


def _act(mentoring_id: int, allowed, action, message: str, **kwargs):
    mentoring = _viewable(mentoring_id)
    if not allowed(current_user, mentoring):
        abort(403)
    try:
        action(mentoring=mentoring, **kwargs)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect_after_post(url_for("mentoring.show", mentoring_id=mentoring_id))


@bp.route("/mentoring/<int:mentoring_id>/accept", methods=["POST"])
@signed_in
def accept(mentoring_id: int):
    db.session.commit()  # end the read transaction, so on SQLite the capacity check takes the write lock up front
    with serialized_writes():
        return _act(mentoring_id, policies.can_answer, accept_request, _("Accepted. Next, agree how you will work."),
                    mentor=current_user)


@bp.route("/mentoring/<int:mentoring_id>/decline", methods=["POST"])
@signed_in
def decline(mentoring_id: int):
    return _act(mentoring_id, policies.can_answer, decline_request, _("Declined. We have let them know."),
                mentor=current_user)


@bp.route("/mentoring/<int:mentoring_id>/agreement", methods=["POST"])
@signed_in
def agreement(mentoring_id: int):
    mentoring = _viewable(mentoring_id)
    form = AgreementForm()
    if not form.validate_on_submit():
        return _render_show(mentoring, agreement_form=form)
    return _act(mentoring_id, policies.can_agree, record_agreement, _("Agreement saved."), actor=current_user,
                goals=form.agreement_goals.data, frequency=form.agreement_frequency.data,
                length=form.agreement_length.data)


@bp.route("/mentoring/<int:mentoring_id>/check", methods=["POST"])
@signed_in
def check(mentoring_id: int):
    mentoring = _viewable(mentoring_id)
    form = CheckForm()
    if not form.validate_on_submit():
        return _render_show(mentoring, check_form=form)
    return _act(mentoring_id, policies.can_check, record_first_check, _("Thank you. Saved."), actor=current_user,
                note=form.note.data)


@bp.route("/mentoring/<int:mentoring_id>/end", methods=["POST"])
@signed_in
def end(mentoring_id: int):
    mentoring = _viewable(mentoring_id)
    form = EndForm()
    if not form.validate_on_submit():
        return _render_show(mentoring, end_form=form)
    return _act(mentoring_id, policies.can_end, end_mentoring, _("Mentoring ended."), actor=current_user,
                reason=form.reason.data)
