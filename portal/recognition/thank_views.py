"""Say thank you (pick people, write, check, send), change it within minutes, withdraw it, make it private."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import unit_choices, unit_labels
from portal.recognition import policies
from portal.recognition.forms import PeopleSearchForm, ThankYouForm, ThankYouWordsForm, chosen_ids
from portal.recognition.queries import active_values, people_by_id, search_people
from portal.recognition.services import (
    check_thank_you,
    edit_thank_you,
    make_private,
    send_thank_you,
    withdraw_thank_you,
)
from portal.recognition.views import bp, load_post


def _picker(to_ids: list[int], *, fresh_search: bool = False) -> dict:
    """The colleague picker's state from the query string: who is chosen and who matches the search.

    ``fresh_search`` empties the search box (after someone was chosen, ready for the next name)."""
    search = PeopleSearchForm(None if fresh_search else request.args)
    chosen = [p for p in people_by_id(to_ids) if p.id != current_user.id]
    exclude = {p.id for p in chosen} | {current_user.id}
    return {"search": search, "chosen": chosen, "matches": search_people(search.q.data or "", exclude=exclude),
            "searched": len((search.q.data or "").strip()) >= 2}


def _thank_form(**kwargs) -> ThankYouForm:
    form = ThankYouForm(**kwargs)
    form.set_values(active_values())
    form.set_teams(unit_choices())
    return form


@bp.route("/thank-you/new", methods=["GET", "POST"])
@signed_in
def thank_new():
    if request.method == "GET":
        to_ids = chosen_ids(request.args.getlist("to"))
        if (added := request.args.get("add", "")).isdigit():
            to_ids = chosen_ids([*to_ids, added])
        to_ids = [i for i in to_ids if str(i) != request.args.get("remove")]
        picker = _picker(to_ids, fresh_search="add" in request.args)
        block = {"people-results": "results", "picker": "picker"}.get(request.headers.get("HX-Target", ""))
        return render_page("recognition/thank_new.html", block=block, form=_thank_form(), **picker)
    form = _thank_form()
    picker = _picker(chosen_ids(request.form.getlist("to")))
    step = request.form.get("step", "check")
    if step == "change":  # back from "Check and send": the form as they left it, no errors yet
        return render_page("recognition/thank_new.html", form=form, **picker)
    team = db.session.get(Unit, form.team_id) if form.team_id else None
    if form.validate_on_submit():
        try:
            if step == "send":
                post = send_thank_you(author=current_user, user_ids=[p.id for p in picker["chosen"]], team=team,
                                      words=form.words())
                db.session.commit()
                flash(_("Thank you sent. You can change it for the next few minutes."), "success")
                return redirect_after_post(url_for("recognition.post", post_id=post.id))
            check_thank_you(author=current_user, user_ids=[p.id for p in picker["chosen"]], team=team,
                            words=form.words())
            return render_page("recognition/thank_check.html", form=form, team=team, team_label=_team_label(team),
                               **picker)
        except DomainError as error:
            attach_error(form, error)
    return render_page("recognition/thank_new.html", form=form, **picker)


def _team_label(team: Unit | None) -> str | None:
    return unit_labels().get(team.id) if team else None


@bp.route("/thanks/<int:post_id>/edit", methods=["GET", "POST"])
@signed_in
def edit(post_id: int):
    post = load_post(post_id)
    if not policies.can_edit(current_user, post):
        abort(403)
    form = ThankYouWordsForm(data=None if request.method == "POST" else {
        "what_they_did": post.what_they_did, "difference": post.difference, "learning": post.learning,
        "visibility": post.visibility, "values": [v.id for v in post.values]})
    form.set_values(active_values())
    if form.validate_on_submit():
        try:
            edit_thank_you(post=post, actor=current_user, words=form.words())
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect_after_post(url_for("recognition.post", post_id=post.id))
    return render_page("recognition/edit.html", form=form, post=post)


@bp.route("/thanks/<int:post_id>/withdraw", methods=["POST"])
@signed_in
def withdraw(post_id: int):
    post = load_post(post_id)
    if not policies.can_withdraw(current_user, post):
        abort(403)
    withdraw_thank_you(post=post, actor=current_user)
    db.session.commit()
    flash(_("Your thank-you has been withdrawn. Nobody can see it now."), "success")
    return redirect_after_post(url_for("recognition.wall"))


@bp.route("/thanks/<int:post_id>/make-private", methods=["POST"])
@signed_in
def make_post_private(post_id: int):
    post = load_post(post_id)
    if not policies.can_make_private(current_user, post):
        abort(403)
    make_private(post=post, actor=current_user)
    db.session.commit()
    flash(_("This thank-you is now private: only the people named, their line managers and the author can see it."),
          "success")
    return redirect_after_post(url_for("recognition.post", post_id=post.id))
