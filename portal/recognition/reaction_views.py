"""Appreciate (an htmx toggle that is a plain form without JavaScript) and "add your thanks" comments."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.loading import load
from portal.common.security import safe_next
from portal.common.transaction import attempt
from portal.recognition import policies
from portal.recognition.forms import CommentForm
from portal.recognition.models import Post
from portal.recognition.reactions import add_comment, set_appreciation
from portal.recognition.views import render_post


@signed_in
@load("post_id", Post, can=policies.can_view, hide=True)
def appreciate(post: Post):
    """The button says which state it wants (``appreciated`` = 1 or 0), so a double click changes nothing twice."""
    wanted = request.form.get("appreciated") == "1"
    with attempt() as outcome:
        count = set_appreciation(post=post, user=current_user, appreciated=wanted)
    if outcome.ok and is_htmx():
        return render_page("recognition/_appreciate.html", post=post, count=count, is_appreciated=wanted)
    return redirect_after_post(safe_next(request.form.get("next"), url_for("recognition.post", post_id=post.id)))


@signed_in
@load("post_id", Post, can=policies.can_view, hide=True)
def comment(post: Post):
    form = CommentForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            add_comment(post=post, author=current_user, body=form.body.data, idempotency_key=form.request_key.data)
        if outcome.ok:
            flash(_("Your thanks have been added."), "success")
            return redirect_after_post(url_for("recognition.post", post_id=post.id) + "#comments")
    return render_post(post, form)
