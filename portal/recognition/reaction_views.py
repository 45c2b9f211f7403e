"""Appreciate (an htmx toggle that is a plain form without JavaScript) and "add your thanks" comments."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.security import safe_next
from portal.db import serialized_writes
from portal.extensions import db
from portal.recognition import policies
from portal.recognition.forms import CommentForm
from portal.recognition.queries import appreciated_by
from portal.recognition.reactions import add_comment, set_appreciation
from portal.recognition.views import bp, load_post


@bp.route("/thanks/<int:post_id>/appreciate", methods=["POST"])
@signed_in
def appreciate(post_id: int):
    wanted = request.form.get("appreciated") == "1"
    # End the read that loading the signed-in person began, so SQLite takes its write lock up front below.
    db.session.commit()
    with serialized_writes():
        post = load_post(post_id)
        if not policies.can_react(current_user, post):
            abort(403)
        count = set_appreciation(post=post, user=current_user, appreciated=wanted)
        db.session.commit()
    if is_htmx():
        return render_page("recognition/_appreciate.html", post=post, count=count, is_appreciated=wanted)
    return redirect_after_post(safe_next(request.form.get("next"), url_for("recognition.post", post_id=post_id)))


@bp.route("/thanks/<int:post_id>/comments", methods=["POST"])
@signed_in
def comment(post_id: int):
    post = load_post(post_id)
    if not policies.can_react(current_user, post):
        abort(403)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            add_comment(post=post, author=current_user, body=form.body.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your thanks have been added."), "success")
            return redirect_after_post(url_for("recognition.post", post_id=post.id) + "#comments")
    return render_page("recognition/post.html", post=post, comment_form=form,
                       appreciated=appreciated_by(current_user, [post]))
