"""Reporting a public post or comment, and the champions' and HR's list of reports to review."""

from __future__ import annotations

from flask import current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import role_required, signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.recognition import policies
from portal.recognition.forms import ReasonForm
from portal.recognition.models import Comment, Post, Report
from portal.recognition.moderation import dismiss_report, hide_post, report_item
from portal.recognition.moderation import hide_comment as hide_one_comment
from portal.recognition.queries import open_reports_for


def _back() -> str:
    """Where a moderator goes after a decision: back to good practice's one queue when they came from it."""
    return url_for("practice.review") if request.values.get("back") == "practice" else url_for("recognition.moderation")


def _reason_page(form: ReasonForm, *, post: Post, comment: Comment | None, mode: str):
    return render_page("recognition/reason.html", form=form, post=post, comment=comment, mode=mode)


def _report(post: Post, comment: Comment | None):
    form = ReasonForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            report_item(post=post, comment=comment, reporter=current_user, reason=form.reason.data)
        if outcome.ok:
            flash(_("Thank you for telling us. A service champion or HR will look at it."), "success")
            return redirect_after_post(url_for("recognition.post", post_id=post.id))
    return _reason_page(form, post=post, comment=comment, mode="report")


@signed_in
@load("post_id", Post, can=policies.can_report, hide=True)
def report(post: Post):
    return _report(post, None)


@signed_in
@load("comment_id", Comment, can=policies.can_report_comment, hide=True)
def report_comment(comment: Comment):
    return _report(comment.post, comment)


def _hide(post: Post, comment: Comment | None):
    """Hidden, or already hidden by someone else (the service says who): back to the list of reports either way."""
    form = ReasonForm()
    if not form.validate_on_submit():
        return _reason_page(form, post=post, comment=comment, mode="hide")
    with attempt() as outcome:
        if comment is not None:
            hide_one_comment(comment=comment, actor=current_user, reason=form.reason.data)
        else:
            hide_post(post=post, actor=current_user, reason=form.reason.data)
    if outcome.ok:
        flash(_("Hidden. The author has been told why."), "success")
    return redirect_after_post(_back())


@signed_in
@load("post_id", Post, can=policies.can_moderate, hide=True)
def hide(post: Post):
    return _hide(post, None)


@signed_in
@load("comment_id", Comment, can=policies.can_moderate_comment, hide=True)
def hide_comment(comment: Comment):
    return _hide(comment.post, comment)


@role_required(Role.HR, Role.CHAMPION)
def moderation():
    page = open_reports_for(current_user, cursor=request.args.get("after"), size=current_app.config["PAGE_SIZE"])
    return render_page("recognition/moderation.html", block="items" if request.args.get("after") else None,
                       page=page)


@role_required(Role.HR, Role.CHAMPION)
@load("report_id", Report, can=policies.can_review, hide=True)
def dismiss(report: Report):
    with attempt() as outcome:
        dismiss_report(report=report, actor=current_user)
    if outcome.ok:
        flash(_("The report is closed and the item stays up."), "success")
    return redirect_after_post(_back())
