"""Mentoring: find a mentor, ask, answer, agree, check after the first session, end.

The URL rules are in blueprint.py.
"""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.params import parse_id
from portal.common.roles import Role
from portal.common.transaction import attempt, writes
from portal.home.waiting import WaitingItem
from portal.mentoring import policies, queries
from portal.mentoring.forms import AgreementForm, AskForm, CheckForm, EndForm, MentorSearchForm
from portal.mentoring.models import Mentoring, MentoringState
from portal.mentoring.services import (
    accept_request,
    decline_request,
    end_mentoring,
    note_read,
    record_agreement,
    record_first_check,
    request_mentor,
)
from portal.support.models import SupporterProfile


def waiting_items(user) -> list[WaitingItem]:
    if not user.has_role(Role.SUPPORTER):
        return []
    return [WaitingItem(_("Mentoring requests to answer"), queries.count_to_answer(user), url_for("mentoring.index"))]


@signed_in
def index():
    return render_page("mentoring/index.html", as_mentee=queries.as_mentee(current_user),
                       as_mentor=queries.as_mentor(current_user))


@signed_in
def mentors():
    form = MentorSearchForm(request.args)
    form.validate()
    exclude = {current_user.id}
    if (excluded := parse_id(request.args.get("exclude"))) is not None:
        exclude.add(excluded)
    cards = queries.mentors(looking_for=form.q.data or "", exclude_ids=exclude)
    return render_page("mentoring/mentors.html", block="results", form=form, cards=cards)


@signed_in
@load("user_id", SupporterProfile, can=policies.can_ask, hide=True, into="profile")
def ask(profile: SupporterProfile):
    mentor = profile.user
    form = AskForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            mentoring = request_mentor(mentee=current_user, mentor=mentor, goals=form.goals.data,
                                       idempotency_key=form.request_key.data)
        if outcome.ok:
            flash(_("Request sent to %(name)s. We will tell you when they answer.", name=mentor.display_name),
                  "success")
            return redirect_after_post(url_for("mentoring.show", mentoring_id=mentoring.id))
    return render_page("mentoring/ask.html", form=form, mentor=mentor, profile=profile)


def _render_show(mentoring: Mentoring, **forms):
    """The mentoring page; reading it is audited (goals and agreements are confidential)."""
    note_read(mentoring=mentoring, reader=current_user)
    forms.setdefault("agreement_form", AgreementForm(obj=mentoring))
    forms.setdefault("check_form", CheckForm())
    forms.setdefault("end_form", EndForm())
    others = []
    if policies.can_see_other_mentors(current_user, mentoring):
        others = queries.mentors(looking_for=mentoring.goals or "",
                                 exclude_ids={current_user.id, mentoring.mentor_id})[:3]
    return render_page("mentoring/show.html", mentoring=mentoring, others=others, MentoringState=MentoringState,
                       **forms)


@signed_in
@writes
@load("mentoring_id", Mentoring, can=policies.can_view, hide=True)
def show(mentoring: Mentoring):
    return _render_show(mentoring)


def _act(mentoring: Mentoring, action, message: str, **kwargs):
    """One service call; a refusal (it moved on, the mentor is full) is flashed instead of the success message."""
    with attempt() as outcome:
        action(mentoring=mentoring, **kwargs)
    if outcome.ok:
        flash(message, "success")
    return redirect_after_post(url_for("mentoring.show", mentoring_id=mentoring.id))


@signed_in
@load("mentoring_id", Mentoring, can=policies.can_act_as_mentor, hide=True)
def accept(mentoring: Mentoring):
    return _act(mentoring, accept_request, _("Accepted. Next, agree how you will work."), mentor=current_user)


@signed_in
@load("mentoring_id", Mentoring, can=policies.can_act_as_mentor, hide=True)
def decline(mentoring: Mentoring):
    return _act(mentoring, decline_request, _("Declined. We have let them know."), mentor=current_user)


@signed_in
@load("mentoring_id", Mentoring, can=policies.can_view, hide=True)
def agreement(mentoring: Mentoring):
    form = AgreementForm()
    if not form.validate_on_submit():
        return _render_show(mentoring, agreement_form=form)
    return _act(mentoring, record_agreement, _("Agreement saved."), actor=current_user,
                goals=form.agreement_goals.data, frequency=form.agreement_frequency.data,
                length=form.agreement_length.data)


@signed_in
@load("mentoring_id", Mentoring, can=policies.can_view, hide=True)
def check(mentoring: Mentoring):
    form = CheckForm()
    if not form.validate_on_submit():
        return _render_show(mentoring, check_form=form)
    return _act(mentoring, record_first_check, _("Thank you. Saved."), actor=current_user, note=form.note.data)


@signed_in
@load("mentoring_id", Mentoring, can=policies.can_view, hide=True)
def end(mentoring: Mentoring):
    form = EndForm()
    if not form.validate_on_submit():
        return _render_show(mentoring, end_form=form)
    return _act(mentoring, end_mentoring, _("Mentoring ended."), actor=current_user, reason=form.reason.data)
