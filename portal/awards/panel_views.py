"""The panel: schemes you sit on, their nominations (blind where the scheme says), scoring and deciding."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.awards import policies
from portal.awards.forms import DecideForm, ScoreForm, score_form
from portal.awards.models import AwardScheme, Nomination, NominationState
from portal.awards.queries import panel_nominations, panel_schemes, panel_score_summary, scores_by
from portal.awards.services import decide_nomination, score_nomination
from portal.common.access import role_required
from portal.common.errors import InvalidTransition
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt


def _review_page(item: Nomination, *, scores: ScoreForm | None = None, decide: DecideForm | None = None):
    mine = scores_by(item, current_user)
    form = scores or score_form(len(item.answers), data={f"score_{k}": str(v) for k, v in mine.items()})
    return render_page("awards/review.html", nomination=item, score_form=form, decide_form=decide or DecideForm(),
                       my_scores=mine, summary=panel_score_summary(item))


@role_required(Role.PANEL)
def panel():
    return render_page("awards/panel.html", schemes=panel_schemes(current_user))


@role_required(Role.PANEL)
@load("scheme_id", AwardScheme, can=policies.can_open_panel, hide=True)
def panel_scheme(scheme: AwardScheme):
    return render_page("awards/panel_scheme.html", scheme=scheme, rows=panel_nominations(scheme, current_user))


@role_required(Role.PANEL)
@load("nomination_id", Nomination, can=policies.can_open_review, hide=True, into="item")
def review(item: Nomination):
    return _review_page(item)


@role_required(Role.PANEL)
@load("nomination_id", Nomination, can=policies.can_open_review, hide=True, into="item")
def score(item: Nomination):
    form = score_form(len(item.answers))
    if form.validate_on_submit():
        with attempt(form) as outcome:
            score_nomination(nomination=item, panel_member=current_user, scores=form.scores())
        if outcome.ok:
            flash(_("Your scores have been saved."), "success")
            return redirect_after_post(url_for("awards.review", nomination_id=item.id))
    return _review_page(item, scores=form)


@role_required(Role.PANEL)
@load("nomination_id", Nomination, can=policies.can_open_review, hide=True, into="item")
def decide(item: Nomination):
    form = DecideForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            decide_nomination(nomination=item, panel_member=current_user, outcome=NominationState(form.outcome.data),
                              reason=form.reason.data)
        if outcome.ok:
            flash(_("Your decision has been recorded. The nominee and the nominator have been told."), "success")
            return redirect_after_post(url_for("awards.panel_scheme", scheme_id=item.scheme_id))
        if isinstance(outcome.error, InvalidTransition):
            # Someone decided first, or it was withdrawn: say so on the page as it is now, not in a stale form.
            flash(outcome.error.message, "warning")
            return redirect_after_post(url_for("awards.review", nomination_id=item.id))
    return _review_page(item, decide=form)
