"""From thanks to practice: a champion asks; the people involved answer yes or no; everyone's yes makes a draft."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.transaction import attempt
from portal.extensions import db
from portal.practice import policies
from portal.practice.forms import AnswerForm
from portal.practice.models import ThanksProposal
from portal.practice.thanks import answer_proposal, existing_proposal, people_to_ask, propose_from_thanks
from portal.recognition.models import Post


@signed_in
@load("post_id", Post, can=policies.can_consider_thanks, hide=True)
def from_thanks(post: Post):
    """What will happen and who will be asked; the button asks them."""
    asked = existing_proposal(post)
    if asked is None and _is_post():
        with attempt() as outcome:
            asked = propose_from_thanks(post=post, champion=current_user)
        if outcome.ok:
            flash(_("We have asked everyone involved. You will be told when they have answered."), "success")
            return redirect_after_post(url_for("practice.proposal", proposal_id=asked.id))
        return redirect_after_post(url_for("practice.from_thanks", post_id=post.id))
    if asked is not None and _is_post():
        return redirect_after_post(url_for("practice.proposal", proposal_id=asked.id))
    return render_page("practice/from_thanks.html", post=post, asked=asked, people=people_to_ask(post))


def _is_post() -> bool:
    return request.method == "POST"


@signed_in
@load("proposal_id", ThanksProposal, can=policies.can_see_proposal, hide=True)
def proposal(proposal: ThanksProposal):
    return _render_proposal(proposal, AnswerForm())


def _render_proposal(proposal: ThanksProposal, form: AnswerForm):
    post = db.session.get(Post, proposal.post_id)
    mine = next((a for a in proposal.answers if a.user_id == current_user.id), None)
    return render_page("practice/proposal.html", proposal=proposal, post=post, mine=mine, form=form)


@signed_in
@load("proposal_id", ThanksProposal, can=policies.can_see_proposal, hide=True)
def answer(proposal: ThanksProposal):
    form = AnswerForm()
    mine = next((a for a in proposal.answers if a.user_id == current_user.id), None)
    if not form.validate_on_submit() or mine is None:
        if mine is None:
            flash(_("This question was for the people in the thank-you."), "warning")
            return redirect_after_post(url_for("practice.proposal", proposal_id=proposal.id))
        return _render_proposal(proposal, form)
    with attempt() as outcome:
        answer_proposal(answer=mine, user=current_user, yes=form.answer.data == "yes")
    if outcome.ok:
        flash(_("Thank you. Your answer is recorded.") if form.answer.data == "yes"
              else _("Thank you. It will stay as it is."), "success")
    return redirect_after_post(url_for("practice.proposal", proposal_id=proposal.id))
