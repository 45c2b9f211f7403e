"""Say thank you (pick people, write, check, send), change it within minutes, withdraw it, make it private."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.transaction import attempt
from portal.recognition import policies
from portal.recognition.forms import ThankYouForm, ThankYouWordsForm
from portal.recognition.models import Post
from portal.recognition.picker import PeoplePicker, is_picker_request, people_picker, picker_fragment
from portal.recognition.queries import active_values
from portal.recognition.services import (
    check_recipients,
    check_thank_you,
    check_words,
    edit_thank_you,
    make_private,
    send_thank_you,
    withdraw_thank_you,
)


def _picker(values) -> PeoplePicker:
    return people_picker(values, viewer=current_user, action=url_for("recognition.thank_new"),
                         heading=_("Who do you want to thank?"), chosen_heading=_("You are thanking"),
                         hint=_("Type at least 2 letters of their name, then choose them from the list. You can "
                                "choose several people."))


def _thank_form(**kwargs) -> ThankYouForm:
    form = ThankYouForm(**kwargs)
    form.set_values(active_values())
    return form


def _render_form(form: ThankYouForm, picker: PeoplePicker):
    """The form; htmx asks for just the picker or just its matches."""
    return picker_fragment(picker) or render_page("recognition/thank_new.html", form=form, picker=picker)


@signed_in
def thank_new():
    """Write (GET), then "Continue" shows the check page (step=check), then "Send" (step=send) or back to
    "Change" (step=change): every step posts the whole form, so nothing is kept on the server in between. The form's
    ``request_key``, made when it is first shown, goes with every step: "Send" pressed twice sends one thank-you.
    The picker's "Search", "Choose" and "Remove" post the whole form too (step=pick), so nothing written is lost."""
    if request.method == "GET":
        return _render_form(_thank_form(), _picker(request.args))
    step = request.form.get("step", "check")
    form, picker = _thank_form(), _picker(request.form)
    if is_picker_request(request.form) or form.team.searching:
        # The pickers' buttons are in the same form as the words, so searching or choosing without JavaScript
        # posts everything written so far and it comes back untouched (not checked yet: nothing is sent).
        return _render_form(form, picker)
    team = form.team.unit
    people = [p.id for p in picker.chosen]
    if step != "change" and not form.validate_on_submit():
        # Every mistake in one round: the words' and the recipients' rules too, not only the form's own.
        with attempt(form):
            check_words(form.words())
        with attempt(form):
            check_recipients(author=current_user, user_ids=people, team=team)
    elif step != "change":
        with attempt(form) as outcome:
            if step == "send":
                post = send_thank_you(author=current_user, user_ids=people, team=team, words=form.words(),
                                      idempotency_key=form.request_key.data)
            else:
                check_thank_you(author=current_user, user_ids=people, team=team, words=form.words())
        if outcome.ok and step == "send":
            flash(_("Thank you sent. You can change it for the next few minutes."), "success")
            return redirect_after_post(url_for("recognition.post", post_id=post.id))
        if outcome.ok:
            return render_page("recognition/thank_check.html", form=form, team=team,
                               team_label=form.team.choice.label if team else None, chosen=picker.chosen)
    return render_page("recognition/thank_new.html", form=form, picker=picker)


@signed_in
@load("post_id", Post, can=policies.can_manage, hide=True)
def edit(post: Post):
    """The author changes the words within the edit window; after it, they are sent back with a message."""
    form = ThankYouWordsForm(data=None if request.method == "POST" else {
        "what_they_did": post.what_they_did, "difference": post.difference, "learning": post.learning,
        "visibility": post.visibility.value, "values": [v.id for v in post.values]})
    form.set_values(active_values())
    if form.validate_on_submit():
        with attempt(form) as outcome:
            edit_thank_you(post=post, actor=current_user, words=form.words())
        if outcome.ok:
            flash(_("Your changes are saved."), "success")
            return redirect_after_post(url_for("recognition.post", post_id=post.id))
    elif request.method == "GET" and not policies.can_edit(current_user, post):
        flash(_("The time for changing this thank-you has passed. You can still withdraw it."), "warning")
        return redirect(url_for("recognition.post", post_id=post.id))
    return render_page("recognition/edit.html", form=form, post=post, editable_until=policies.editable_until(post))


@signed_in
@load("post_id", Post, can=policies.can_manage, hide=True)
def withdraw(post: Post):
    """GET: the check page ("Withdraw your thank-you?"); POST from it withdraws. One click never does."""
    if request.method == "GET":
        if not policies.can_withdraw(current_user, post):
            flash(_("This thank-you has already been withdrawn."), "info")
            return redirect(url_for("recognition.post", post_id=post.id))
        return render_page("recognition/withdraw.html", post=post)
    with attempt() as outcome:
        withdraw_thank_you(post=post, actor=current_user)
    if outcome.ok:
        flash(_("Your thank-you has been withdrawn. Nobody can see it now."), "success")
    return redirect_after_post(url_for("recognition.wall"))


@signed_in
@load("post_id", Post, can=policies.can_act_as_recipient, hide=True)
def make_post_private(post: Post):
    with attempt() as outcome:
        make_private(post=post, actor=current_user)
    if outcome.ok:
        flash(_("This thank-you is now private: only the people named, their line managers and the author can see "
                "it."), "success")
    return redirect_after_post(url_for("recognition.post", post_id=post.id))
