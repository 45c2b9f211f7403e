"""The panel: schemes you sit on, their nominations (blind where the scheme says), scoring and deciding."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.awards.forms import DecideForm, score_form
from portal.awards.models import AwardScheme, Nomination, NominationState
from portal.awards.nomination_views import nomination_or_404
from portal.awards.policies import can_open_review, is_panel_member
from portal.awards.queries import panel_nominations, panel_schemes, panel_score_summary, scores_by
from portal.awards.services import decide_nomination, score_nomination
from portal.awards.views import bp
from portal.common.access import role_required
from portal.common.errors import DomainError, InvalidTransition
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.db import serialized_writes
from portal.extensions import db


def _reviewable_or_404(nomination_id: int) -> Nomination:
    item = nomination_or_404(nomination_id)
    # Only nominations that reached the panel; one withdrawn after that stays readable, with no actions.
    if not can_open_review(current_user, item):
        abort(404)
    return item


def _review_page(item: Nomination, *, scores=None, decide=None):
    mine = scores_by(item, current_user)
    form = scores or score_form(len(item.answers), data={f"score_{k}": str(v) for k, v in mine.items()})
    return render_page("awards/review.html", nomination=item, score_form=form, decide_form=decide or DecideForm(),
                       my_scores=mine, summary=panel_score_summary(item))


@bp.route("/awards/panel")
@role_required(Role.PANEL)
def panel():
    return render_page("awards/panel.html", schemes=panel_schemes(current_user))


@bp.route("/awards/panel/schemes/<int:scheme_id>")
@role_required(Role.PANEL)
def panel_scheme(scheme_id: int):
    scheme = db.session.get(AwardScheme, scheme_id, options=[selectinload(AwardScheme.panel_rows)])
    if scheme is None or not is_panel_member(current_user, scheme):
        abort(404)
    return render_page("awards/panel_scheme.html", scheme=scheme, rows=panel_nominations(scheme, current_user))


@bp.route("/awards/panel/nominations/<int:nomination_id>")
@role_required(Role.PANEL)
def review(nomination_id: int):
    return _review_page(_reviewable_or_404(nomination_id))


@bp.route("/awards/panel/nominations/<int:nomination_id>/scores", methods=["POST"])
@role_required(Role.PANEL)
def score(nomination_id: int):
    item = _reviewable_or_404(nomination_id)
    form = score_form(len(item.answers))
    if form.validate_on_submit():
        scores = {i: int(form[f"score_{i}"].data) for i in range(len(item.answers))}
        try:
            score_nomination(nomination=item, panel_member=current_user, scores=scores)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your scores have been saved."), "success")
            return redirect_after_post(url_for("awards.review", nomination_id=item.id))
    return _review_page(item, scores=form)


@bp.route("/awards/panel/nominations/<int:nomination_id>/decide", methods=["POST"])
@role_required(Role.PANEL)
def decide(nomination_id: int):
    item = _reviewable_or_404(nomination_id)
    form = DecideForm()
    if form.validate_on_submit():
        db.session.commit()  # end the read: on SQLite the decision's own transaction begins with BEGIN IMMEDIATE
        with serialized_writes():
            try:
                decide_nomination(nomination=item, panel_member=current_user,
                                  outcome=NominationState(form.outcome.data), reason=form.reason.data)
            except InvalidTransition as error:
                db.session.rollback()
                flash(error.message, "warning")
                return redirect_after_post(url_for("awards.review", nomination_id=item.id))
            except DomainError as error:
                db.session.rollback()
                attach_error(form, error)
            else:
                db.session.commit()
                flash(_("Your decision has been recorded. The nominee and the nominator have been told."),
                      "success")
                return redirect_after_post(url_for("awards.panel_scheme", scheme_id=item.scheme_id))
    return _review_page(nomination_or_404(nomination_id), decide=form)
