"""Nominating, a nomination's page, co-signing, withdrawing, endorsing and publicity consent."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import User
from portal.awards import policies
from portal.awards.forms import CosignForm, EndorseForm, NominateForm, nominate_form
from portal.awards.models import AwardCategory, AwardScheme, Nomination
from portal.awards.services import (
    DuplicateNomination,
    NominationDetails,
    cosign_nomination,
    endorse_nomination,
    record_publicity_consent,
    submit_nomination,
    withdraw_nomination,
)
from portal.common.access import signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.params import parse_id
from portal.common.transaction import attempt
from portal.org.models import Unit
from portal.recognition.picker import PeoplePicker, is_picker_request, people_picker, picker_fragment


def _chosen_category(scheme: AwardScheme) -> AwardCategory | None:
    """The category in the query string or form, or the scheme's only one; None means "ask which"."""
    categories = {category.id: category for category in scheme.categories}
    chosen = categories.get(parse_id(request.values.get("category")))
    return chosen or (scheme.categories[0] if len(scheme.categories) == 1 else None)


def _picker(scheme: AwardScheme, category: AwardCategory) -> PeoplePicker:
    """The colleague picker, as on "Say thank you", for one person (sent as ``person``)."""
    return people_picker(request.form if request.method == "POST" else request.args, viewer=current_user,
                         action=url_for("awards.nominate", scheme_id=scheme.id, category=category.id), name="person",
                         single=True, chosen_heading=_("You are nominating"),
                         hint=_("Type at least 2 letters of their name, then choose them from the list."))


def _chosen_nominee(form: NominateForm, picker: PeoplePicker) -> tuple[User | None, Unit | None]:
    """The person or team the form names, or (None, None) with an error on the field."""
    if form.nominee_kind.data == "team":
        if form.team.unit is None and not form.team.errors:
            form.team.errors = [_("Choose the team you are nominating.")]
        return None, form.team.unit
    if not picker.chosen:
        form.person.errors = [_("Search for your colleague by name, then choose them from the list.")]
        return None, None
    return picker.chosen[0], None


def _searching(form: NominateForm) -> bool:
    """True when a picker's own button sent the form: it comes back with the matches, the chosen kind of nominee
    and everything written, and nothing is checked or sent."""
    if not form.is_submitted():
        return True
    if form.team.searching or is_picker_request(request.form):
        # "Find" a team or "Choose" a colleague says which kind is meant (without JavaScript both pickers show).
        # Enter in either search box presses the first button, the colleague search: that one says nothing.
        if form.team.searching or "add" in request.form:
            form.nominee_kind.data = "team" if form.team.searching else "person"
        return True
    return False


@signed_in
@load("scheme_id", AwardScheme, can=policies.can_nominate, hide=True)
def nominate(scheme: AwardScheme):
    category = _chosen_category(scheme)
    if category is None:
        return render_page("awards/choose_category.html", scheme=scheme)
    form, picker = nominate_form(category), _picker(scheme, category)
    duplicate = None
    if _searching(form):
        return picker_fragment(picker) or render_page("awards/nominate.html", scheme=scheme, category=category,
                                                      form=form, picker=picker, duplicate=None)
    # Every mistake at once: the answers and the nominee are checked in the same round.
    valid = form.validate()
    person, team = _chosen_nominee(form, picker)
    if valid and (person is not None or team is not None):
        details = NominationDetails(category=category, nominee=person, team=team,
                                    answers=[f.data for f in form.answer_fields()])
        with attempt(form) as outcome:
            try:
                nomination = submit_nomination(scheme=scheme, details=details, nominator=current_user,
                                               allow_duplicate=bool(form.send_anyway.data),
                                               idempotency_key=form.request_key.data)
            except DuplicateNomination as error:  # a question for the nominator (the banner), not a mistake
                duplicate = error
        if outcome.ok and duplicate is None:
            flash(_("Thank you. Your nomination of %(name)s has been sent, and they have been told.",
                    name=nomination.nominee_name), "success")
            return redirect_after_post(url_for("awards.nomination", nomination_id=nomination.id))
    return render_page("awards/nominate.html", scheme=scheme, category=category, form=form, picker=picker,
                       duplicate=duplicate)


def _render_nomination(item: Nomination, cosign_form: CosignForm):
    return render_page("awards/nomination.html", nomination=item, cosign_form=cosign_form)


@signed_in
@load("nomination_id", Nomination, can=policies.can_view_nomination, hide=True, into="item")
def nomination(item: Nomination):
    return _render_nomination(item, CosignForm())


@signed_in
@load("nomination_id", Nomination, can=policies.can_view_nomination, hide=True, into="item")
def cosign(item: Nomination):
    form = CosignForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            cosign_nomination(nomination=item, actor=current_user, comment=form.comment.data)
        if outcome.ok:
            flash(_("You have co-signed this nomination."), "success")
            return redirect_after_post(url_for("awards.nomination", nomination_id=item.id))
    return _render_nomination(item, form)


@signed_in
@load("nomination_id", Nomination, can=policies.can_act_as_nominator, into="item")
def withdraw(item: Nomination):
    """GET: the check page; POST from it withdraws, and the nominee and a waiting line manager are told."""
    if request.method == "GET":
        if not policies.can_withdraw(current_user, item):
            flash(_("This nomination can no longer be withdrawn."), "info")
            return redirect(url_for("awards.nomination", nomination_id=item.id))
        return render_page("awards/withdraw.html", nomination=item)
    with attempt() as outcome:
        withdraw_nomination(nomination=item, actor=current_user)
    if outcome.ok:
        flash(_("Your nomination has been withdrawn."), "success")
    return redirect_after_post(url_for("awards.nomination", nomination_id=item.id))


@signed_in
@load("nomination_id", Nomination, can=policies.can_act_as_endorser, hide=True, into="item")
def endorse(item: Nomination):
    form = EndorseForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            endorse_nomination(nomination=item, actor=current_user, endorse=form.decision.data == "endorse",
                               reason=form.reason.data)
        if outcome.ok:
            flash(_("Thank you. The nominator has been told."), "success")
            return redirect_after_post(url_for("awards.nomination", nomination_id=item.id))
    return render_page("awards/endorse.html", nomination=item, form=form)


@signed_in
@load("nomination_id", Nomination, can=policies.can_act_as_nominee, into="item")
def consent(item: Nomination):
    answer = request.form.get("consent") == "yes"
    with attempt() as outcome:
        record_publicity_consent(nomination=item, actor=current_user, consent=answer)
    if outcome.ok:
        flash(_("Your award has been announced.") if answer else _("We won't announce your award."), "success")
    return redirect_after_post(url_for("awards.nomination", nomination_id=item.id))
