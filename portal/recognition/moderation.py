"""Reporting public posts and comments; champions (for their subtree) and HR hide them with a reason.

Nothing is ever deleted. Hiding is a conditional UPDATE, so when two moderators act at once one hides it and the
other is told who did.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.services import notify
from portal.recognition import policies
from portal.recognition.models import Comment, Post, Report, ReportOutcome
from portal.recognition.services import POST_HIDDEN

REASON_MAX = 1000


def _reason(reason: str, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell us why"), field=field)
    if len(reason) > REASON_MAX:
        raise DomainError(_("The reason must be %(n)d characters or fewer", n=REASON_MAX), field=field)
    return reason


def report_item(*, post: Post, comment: Comment | None = None, reporter: User, reason: str) -> Report:
    """Ask a champion or HR to look at a public post (or one of its comments)."""
    allowed = policies.can_report_comment(reporter, comment) if comment else policies.can_report(reporter, post)
    if not allowed:
        raise InvalidTransition(_("This cannot be reported."))
    reason = _reason(reason)
    already = db.session.scalar(select(Report.id).where(
        Report.post_id == post.id, Report.reporter_id == reporter.id, Report.resolved_at.is_(None),
        Report.comment_id.is_(None) if comment is None else Report.comment_id == comment.id))
    if already is not None:
        raise Conflict(_("You have already reported this. A service champion or HR will look at it."))
    report = Report(post_id=post.id, comment_id=comment.id if comment else None, reporter_id=reporter.id,
                    reason=reason)
    try:  # two at once both pass the check above: the unique open-report indexes let one in
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        raise Conflict(_("You have already reported this. A service champion or HR will look at it.")) from None
    record_event("recognition.reported", actor=reporter, target=report, post_id=post.id,
                 comment_id=comment.id if comment else None)
    return report


def _resolve_reports(*, post: Post, comment: Comment | None, actor: User, outcome: ReportOutcome,
                     now: datetime) -> None:
    stmt = update(Report).where(Report.post_id == post.id, Report.resolved_at.is_(None))
    stmt = stmt.where(Report.comment_id == comment.id) if comment else stmt.where(Report.comment_id.is_(None))
    db.session.execute(stmt.values(resolved_at=now, resolved_by_id=actor.id, outcome=outcome)
                       .execution_options(synchronize_session=False))


def _already_hidden(model, row_id: int) -> InvalidTransition:
    by = db.session.scalar(select(User.display_name).join(model, model.hidden_by_id == User.id)
                           .where(model.id == row_id))
    return InvalidTransition(_("This was already hidden by %(name)s.", name=by or _("someone else")))


def hide_post(*, post: Post, actor: User, reason: str, now: datetime | None = None) -> None:
    """Hide a post from everyone (kept for audit); its open reports are closed and the author is told."""
    if not policies.can_moderate(actor, post):
        raise InvalidTransition(_("You cannot hide this."))
    reason, now = _reason(reason), now or utcnow()
    done = db.session.execute(update(Post).where(Post.id == post.id, Post.hidden_at.is_(None))
                              .values(hidden_at=now, hidden_by_id=actor.id, hidden_reason=reason)
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise _already_hidden(Post, post.id)
    _resolve_reports(post=post, comment=None, actor=actor, outcome=ReportOutcome.HIDDEN, now=now)
    db.session.refresh(post)
    record_event("recognition.post_hidden", actor=actor, target=post, reason=reason)
    notify(recipient=post.author, kind=POST_HIDDEN.name, url=f"/thanks/{post.id}",
           subject=_l("A thank-you you wrote has been hidden"),
           body=_l("A service champion or HR hid it. Open Frontline to read why."))


def hide_comment(*, comment: Comment, actor: User, reason: str, now: datetime | None = None) -> None:
    """Hide one comment (kept for audit); its open reports are closed and its author is told."""
    if not policies.can_moderate(actor, comment.post):
        raise InvalidTransition(_("You cannot hide this."))
    reason, now = _reason(reason), now or utcnow()
    done = db.session.execute(update(Comment).where(Comment.id == comment.id, Comment.hidden_at.is_(None))
                              .values(hidden_at=now, hidden_by_id=actor.id, hidden_reason=reason)
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise _already_hidden(Comment, comment.id)
    _resolve_reports(post=comment.post, comment=comment, actor=actor, outcome=ReportOutcome.HIDDEN, now=now)
    db.session.refresh(comment)
    record_event("recognition.comment_hidden", actor=actor, target=comment, reason=reason)
    notify(recipient=comment.author, kind=POST_HIDDEN.name, url=f"/thanks/{comment.post_id}",
           subject=_l("Thanks you added have been hidden"),
           body=_l("A service champion or HR hid your comment. Open Frontline to read why."))


def dismiss_report(*, report: Report, actor: User, now: datetime | None = None) -> None:
    """Keep the item up: close this report (and the others on the same item)."""
    if not policies.can_review(actor, report):
        raise InvalidTransition(_("You cannot review this."))
    if report.resolved_at is not None:
        raise InvalidTransition(_("This report has already been dealt with."))
    _resolve_reports(post=report.post, comment=report.comment, actor=actor, outcome=ReportOutcome.KEPT,
                     now=now or utcnow())
    db.session.refresh(report)
    record_event("recognition.report_dismissed", actor=actor, target=report)
