"""Nominating, a nomination's page, co-signing, withdrawing, endorsing and publicity consent."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.awards.forms import CosignForm, EndorseForm, nominate_form
from portal.awards.models import AwardScheme, Nomination
from portal.awards.policies import (
    can_cosign,
    can_endorse,
    can_give_consent,
    can_view_nomination,
    can_withdraw,
)
from portal.awards.queries import find_people, load_nomination
from portal.awards.services import (
    DuplicateNomination,
    NominationDetails,
    cosign_nomination,
    endorse_nomination,
    record_publicity_consent,
    submit_nomination,
    today_in_london,
    withdraw_nomination,
)
from portal.awards.views import bp
from portal.common.access import signed_in
from portal.common.errors import DomainError
from portal.common.forms import attach_error, parse_id
from portal.common.htmx import redirect_after_post, render_page
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import unit_choices


def _open_scheme_or_404(scheme_id: int) -> AwardScheme:
    scheme = db.session.get(AwardScheme, scheme_id, options=[selectinload(AwardScheme.categories)])
    if scheme is None or not scheme.is_open_on(today_in_london()):
        abort(404)
    return scheme


def nomination_or_404(nomination_id: int) -> Nomination:
    nomination = load_nomination(nomination_id)
    if nomination is None:
        abort(404)
    return nomination


def _chosen_nominee(form) -> tuple[object, Unit | None]:
    """The person or team the form names, or (None, None) with an error on the field."""
    if form.nominee_kind.data == "team":
        team_id = parse_id(form.team.data)
        unit = db.session.get(Unit, team_id) if team_id is not None else None
        if unit is None:
            form.team.errors = [_("Choose the team you are nominating.")]
        return None, unit
    matches = find_people(form.person.data or "")
    if len(matches) == 1:
        return matches[0], None
    if not form.person.data:
        form.person.errors = [_("Enter your colleague's name or email address.")]
    elif not matches:
        form.person.errors = [_("We can't find anyone called “%(text)s”. Try their email address.",
                                text=form.person.data)]
    else:
        names = ", ".join(f"{p.display_name} ({p.email})" for p in matches)
        form.person.errors = [_("More than one person matches: %(names)s. Enter their email address.", names=names)]
    return None, None


@bp.route("/awards/schemes/<int:scheme_id>/nominate", methods=["GET", "POST"])
@signed_in
def nominate(scheme_id: int):
    scheme = _open_scheme_or_404(scheme_id)
    categories = {str(c.id): c for c in scheme.categories}
    category = categories.get(request.values.get("category", "")) or (
        scheme.categories[0] if len(scheme.categories) == 1 else None)
    if category is None:
        return render_page("awards/choose_category.html", scheme=scheme)
    form = nominate_form(category, teams=unit_choices())
    duplicate = None
    if form.validate_on_submit():
        person, team = _chosen_nominee(form)
        if person is not None or team is not None:
            details = NominationDetails(category=category, nominee=person, team=team,
                                        answers=[f.data for f in form.answer_fields()])
            try:
                nomination = submit_nomination(scheme=scheme, details=details, nominator=current_user,
                                               allow_duplicate=bool(form.send_anyway.data))
            except DuplicateNomination as error:
                duplicate = error
            except DomainError as error:
                attach_error(form, error)
            else:
                db.session.commit()
                flash(_("Thank you. Your nomination of %(name)s has been sent, and they have been told.",
                        name=nomination.nominee_name), "success")
                return redirect_after_post(url_for("awards.nomination", nomination_id=nomination.id))
    return render_page("awards/nominate.html", scheme=scheme, category=category, form=form, duplicate=duplicate)


@bp.route("/awards/nominations/<int:nomination_id>")
@signed_in
def nomination(nomination_id: int):
    item = nomination_or_404(nomination_id)
    if not can_view_nomination(current_user, item):
        abort(404)
    return render_page("awards/nomination.html", nomination=item, cosign_form=CosignForm())


@bp.route("/awards/nominations/<int:nomination_id>/cosign", methods=["POST"])
@signed_in
def cosign(nomination_id: int):
    item = nomination_or_404(nomination_id)
    if not can_view_nomination(current_user, item):
        abort(404)
    form = CosignForm()
    if not can_cosign(current_user, item):
        form.form_errors.append(_("You can't co-sign this nomination."))
    elif form.validate_on_submit():
        try:
            cosign_nomination(nomination=item, actor=current_user, comment=form.comment.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("You have co-signed this nomination."), "success")
            return redirect_after_post(url_for("awards.nomination", nomination_id=item.id))
    return render_page("awards/nomination.html", nomination=item, cosign_form=form)


@bp.route("/awards/nominations/<int:nomination_id>/withdraw", methods=["POST"])
@signed_in
def withdraw(nomination_id: int):
    item = nomination_or_404(nomination_id)
    if not can_withdraw(current_user, item):
        abort(403)
    try:
        withdraw_nomination(nomination=item, actor=current_user)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Your nomination has been withdrawn."), "success")
    return redirect_after_post(url_for("awards.nomination", nomination_id=item.id))


@bp.route("/awards/nominations/<int:nomination_id>/endorse", methods=["GET", "POST"])
@signed_in
def endorse(nomination_id: int):
    item = nomination_or_404(nomination_id)
    if item.endorser_id != current_user.id:
        abort(404)
    form = EndorseForm()
    if can_endorse(current_user, item) and form.validate_on_submit():
        try:
            endorse_nomination(nomination=item, actor=current_user, endorse=form.decision.data == "endorse",
                               reason=form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. The nominator has been told."), "success")
            return redirect_after_post(url_for("awards.nomination", nomination_id=item.id))
    return render_page("awards/endorse.html", nomination=item, form=form)


@bp.route("/awards/nominations/<int:nomination_id>/consent", methods=["POST"])
@signed_in
def consent(nomination_id: int):
    item = nomination_or_404(nomination_id)
    if not can_give_consent(current_user, item):
        abort(403)
    answer = request.form.get("consent") == "yes"
    try:
        record_publicity_consent(nomination=item, actor=current_user, consent=answer)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Your award has been announced.") if answer else _("We won't announce your award."), "success")
    return redirect_after_post(url_for("awards.nomination", nomination_id=item.id))
