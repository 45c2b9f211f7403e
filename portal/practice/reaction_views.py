"""Readers' reactions to a published note: "useful" (an htmx toggle that is a plain form without JavaScript),
comments, flags, and reporting a comment."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.loading import load
from portal.common.security import safe_next
from portal.common.transaction import attempt
from portal.practice import policies
from portal.practice.forms import CommentForm, FlagForm, ReportForm
from portal.practice.models import Note, PracticeComment
from portal.practice.reactions import add_comment, flag_note, report_comment, set_useful
from portal.practice.views import render_note


@signed_in
@load("note_id", Note, can=policies.can_view, hide=True)
def useful(note: Note):
    """The button says which state it wants (``useful`` = 1 or 0), so a double click changes nothing twice."""
    wanted = request.form.get("useful") == "1"
    with attempt() as outcome:
        count = set_useful(note=note, user=current_user, useful=wanted)
    if outcome.ok and is_htmx():
        return render_page("practice/_useful.html", note=note, count=count, is_useful=wanted)
    return redirect_after_post(safe_next(request.form.get("next"), url_for("practice.show", note_id=note.id)))


@signed_in
@load("note_id", Note, can=policies.can_view, hide=True)
def comment(note: Note):
    form = CommentForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            add_comment(note=note, author=current_user, body=form.body.data, idempotency_key=form.request_key.data)
        if outcome.ok:
            flash(_("Your comment has been added."), "success")
            return redirect_after_post(url_for("practice.show", note_id=note.id) + "#comments")
    return render_note(note, form)


@signed_in
@load("note_id", Note, can=policies.can_view, hide=True)
def flag(note: Note):
    form = FlagForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            flag_note(note=note, reporter=current_user, reason=form.reason.data, detail=form.detail.data)
        if outcome.ok:
            flash(_("Thank you for telling us. A service champion for this note's area will look at it."), "success")
            return redirect_after_post(url_for("practice.show", note_id=note.id))
    return render_page("practice/flag.html", form=form, note=note)


@signed_in
@load("comment_id", PracticeComment, can=policies.can_view_comment, hide=True)
def report(comment: PracticeComment):
    form = ReportForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            report_comment(comment=comment, reporter=current_user, reason=form.reason.data)
        if outcome.ok:
            flash(_("Thank you for telling us. A service champion will look at it."), "success")
            return redirect_after_post(url_for("practice.show", note_id=comment.note_id) + "#comments")
    return render_page("practice/reason.html", form=form, note=comment.note, comment=comment, mode="report")
