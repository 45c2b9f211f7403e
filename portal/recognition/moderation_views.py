"""Reporting a public post or comment, and the champions' and HR's list of reports to review."""

from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import role_required, signed_in
from portal.common.errors import DomainError, InvalidTransition
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.extensions import db
from portal.recognition import policies
from portal.recognition.forms import ReasonForm
from portal.recognition.models import Comment, Post, Report
from portal.recognition.moderation import dismiss_report, hide_comment, hide_post, report_item
from portal.recognition.queries import open_reports_for
from portal.recognition.views import bp, load_post


def _comment_of(post: Post, comment_id: int) -> Comment:
    comment = next((c for c in post.comments if c.id == comment_id), None)
    if comment is None:
        abort(404)
    return comment


def _reason_page(form: ReasonForm, *, post: Post, comment: Comment | None, mode: str):
    return render_page("recognition/reason.html", form=form, post=post, comment=comment, mode=mode)


@bp.route("/thanks/<int:post_id>/report", methods=["GET", "POST"])
@bp.route("/thanks/<int:post_id>/comments/<int:comment_id>/report", methods=["GET", "POST"])
@signed_in
def report(post_id: int, comment_id: int | None = None):
    post = load_post(post_id)
    comment = _comment_of(post, comment_id) if comment_id else None
    if not (policies.can_report_comment(current_user, comment) if comment else policies.can_report(current_user,
                                                                                                   post)):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            report_item(post=post, comment=comment, reporter=current_user, reason=form.reason.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you for telling us. A service champion or HR will look at it."), "success")
            return redirect_after_post(url_for("recognition.post", post_id=post.id))
    return _reason_page(form, post=post, comment=comment, mode="report")


@bp.route("/thanks/<int:post_id>/hide", methods=["GET", "POST"])
@bp.route("/thanks/<int:post_id>/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@signed_in
def hide(post_id: int, comment_id: int | None = None):
    post = load_post(post_id)
    comment = _comment_of(post, comment_id) if comment_id else None
    if not policies.can_moderate(current_user, post):
        abort(403)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            if comment is not None:
                hide_comment(comment=comment, actor=current_user, reason=form.reason.data)
            else:
                hide_post(post=post, actor=current_user, reason=form.reason.data)
        except InvalidTransition as error:
            flash(error.message, "warning")
            return redirect_after_post(url_for("recognition.moderation"))
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Hidden. The author has been told why."), "success")
            return redirect_after_post(url_for("recognition.moderation"))
    return _reason_page(form, post=post, comment=comment, mode="hide")


@bp.route("/recognition/reports")
@role_required(Role.HR, Role.CHAMPION)
def moderation():
    page = open_reports_for(current_user, cursor=request.args.get("after"), size=current_app.config["PAGE_SIZE"])
    return render_page("recognition/moderation.html", block="items" if request.args.get("after") else None,
                       page=page)


@bp.route("/recognition/reports/<int:report_id>/dismiss", methods=["POST"])
@role_required(Role.HR, Role.CHAMPION)
def dismiss(report_id: int):
    item = db.get_or_404(Report, report_id)
    if not policies.can_moderate(current_user, item.post):
        abort(403)
    try:
        dismiss_report(report=item, actor=current_user)
    except InvalidTransition as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("The report is closed and the item stays up."), "success")
    return redirect_after_post(url_for("recognition.moderation"))
