"""Champions deciding about notes in their area: approve (or edit and approve), request changes, reject, clear the
personal-data guard, keep a flagged note up, hide it, bring it back; and hide or keep reported comments.

Every decision is one conditional UPDATE from the state it expects and records who decided and when, so when two
champions act at once exactly one decision is made and the other is told who made it and at what time. Every
decision is audit-logged and the author is told the outcome and the reason.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import DomainError, InvalidTransition
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.services import notify
from portal.practice import notices, policies
from portal.practice.models import (
    REASON_MAX,
    CommentReport,
    FlagOutcome,
    Note,
    NoteFlag,
    NoteState,
    PracticeComment,
)
from portal.practice.services import (
    NoteContent,
    already_decided,
    edit_note,
    guarded_update,
    mark_latest_published,
    review_period,
)


def clean_reason(reason: str | None, *, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell the author why"), field=field)
    if len(reason) > REASON_MAX:
        raise DomainError(_("Use %(n)d characters or fewer", n=REASON_MAX), field=field)
    return reason


def _require(allowed: bool) -> None:
    if not allowed:
        raise InvalidTransition(_("Only a service champion for this note's area can do that."))


def _decide(note: Note, *, actor: User, expected: tuple[NoteState, ...], now: datetime, where=(), **values) -> None:
    if not guarded_update(note, expected=expected, where=where, decided_by_id=actor.id, decided_at=now, **values):
        raise already_decided(note)


def _tell_author(note: Note, subject, body) -> None:
    notify(recipient=note.author, kind=notices.OUTCOME, url=f"/practice/{note.id}", subject=subject, body=body)


def approve_note(*, note: Note, actor: User, clear_personal_data: bool = False, now: datetime | None = None) -> Note:
    """Publish a note that waits for review. A live personal-data flag must be cleared first (or in the same
    step, when the champion ticks that they checked)."""
    _require(policies.can_moderate(actor, note))
    now = now or utcnow()
    if note.has_live_personal_data_flag and not clear_personal_data:
        raise DomainError(_("This note may contain personal data. Check the highlighted text and clear the "
                            "warning before you publish it."), field="clear_personal_data")
    values = {"state": NoteState.PUBLISHED, "published_at": note.published_at or now, "decision_reason": None,
              "review_due_at": now + review_period(), "review_reminded_at": None}
    if note.has_live_personal_data_flag:
        values |= {"personal_data_cleared_by_id": actor.id, "personal_data_cleared_at": now}
    _decide(note, actor=actor, expected=(NoteState.PENDING,), now=now, **values)
    mark_latest_published(note)
    record_event("practice.note_approved", actor=actor, target=note,
                 personal_data_cleared=True if values.get("personal_data_cleared_at") else None)
    _tell_author(note, _l("Your practice note is published: %(title)s", title=note.title),
                 _l("A service champion approved it. Thank you for sharing what works."))
    return note


def edit_and_approve(*, note: Note, actor: User, content: NoteContent, version: int,
                     clear_personal_data: bool = False, now: datetime | None = None) -> Note:
    """A champion's own changes to a waiting note, saved as a revision, then published in the same step."""
    _require(policies.can_moderate(actor, note))
    now = now or utcnow()
    if note.state != NoteState.PENDING:
        raise already_decided(note)
    edit_note(note=note, editor=actor, content=content, version=version, confirm_personal_data=clear_personal_data,
              now=now)
    return approve_note(note=note, actor=actor, clear_personal_data=clear_personal_data, now=now)


def request_changes(*, note: Note, actor: User, reason: str, now: datetime | None = None) -> Note:
    _require(policies.can_moderate(actor, note))
    reason, now = clean_reason(reason), now or utcnow()
    _decide(note, actor=actor, expected=(NoteState.PENDING,), now=now, state=NoteState.CHANGES_REQUESTED,
            decision_reason=reason)
    record_event("practice.changes_requested", actor=actor, target=note, reason=reason)
    _tell_author(note, _l("A champion asked for changes to your note: %(title)s", title=note.title),
                 _l("What they asked: %(reason)s", reason=reason))
    return note


def reject_note(*, note: Note, actor: User, reason: str, now: datetime | None = None) -> Note:
    _require(policies.can_moderate(actor, note))
    reason, now = clean_reason(reason), now or utcnow()
    _decide(note, actor=actor, expected=(NoteState.PENDING,), now=now, state=NoteState.REJECTED,
            decision_reason=reason)
    record_event("practice.note_rejected", actor=actor, target=note, reason=reason)
    _tell_author(note, _l("Your practice note was not published: %(title)s", title=note.title),
                 _l("The champion's reason: %(reason)s", reason=reason))
    return note


def clear_personal_data(*, note: Note, actor: User, now: datetime | None = None) -> Note:
    """The champion checked the highlighted text: it is not about a patient or customer."""
    _require(policies.can_moderate(actor, note))
    now = now or utcnow()
    done = db.session.execute(update(Note).where(Note.id == note.id, Note.version == note.version,
                                                 Note.personal_data_cleared_at.is_(None))
                              .values(personal_data_cleared_by_id=actor.id, personal_data_cleared_at=now)
                              .execution_options(synchronize_session=False))
    db.session.expire(note)
    if done.rowcount != 1:
        raise InvalidTransition(_("The warning was already cleared, or the note changed. Reload the page."))
    record_event("practice.personal_data_cleared", actor=actor, target=note)
    return note


# --- flags --------------------------------------------------------------------------------------------------------

def _resolve_flags(note: Note, *, actor: User, outcome: FlagOutcome, now: datetime) -> int:
    done = db.session.execute(update(NoteFlag).where(NoteFlag.note_id == note.id, NoteFlag.resolved_at.is_(None))
                              .values(resolved_at=now, resolved_by_id=actor.id, outcome=outcome)
                              .execution_options(synchronize_session=False))
    db.session.execute(update(Note).where(Note.id == note.id).values(open_flag_count=0)
                       .execution_options(synchronize_session=False))
    db.session.expire(note)
    return done.rowcount


def keep_note(*, note: Note, actor: User, now: datetime | None = None) -> Note:
    """The flags were looked at and the note stays (or goes back) up; its open flags are closed."""
    _require(policies.can_moderate(actor, note))
    now = now or utcnow()
    if note.state == NoteState.PUBLISHED and not note.open_flag_count:
        raise InvalidTransition(_("There are no open flags on this note."))
    # From hidden, or from published while flags are open: a second champion keeping it too is told who did.
    _decide(note, actor=actor, expected=(NoteState.PUBLISHED, NoteState.HIDDEN), now=now,
            where=[or_(Note.state == NoteState.HIDDEN.value, Note.open_flag_count > 0)], state=NoteState.PUBLISHED,
            decision_reason=None)
    closed = _resolve_flags(note, actor=actor, outcome=FlagOutcome.KEPT, now=now)
    record_event("practice.note_kept", actor=actor, target=note, flags=closed)
    return note


def hide_note(*, note: Note, actor: User, reason: str, now: datetime | None = None) -> Note:
    _require(policies.can_moderate(actor, note))
    reason, now = clean_reason(reason), now or utcnow()
    # From published, or hidden by its flags (no champion has decided yet): never hidden twice.
    _decide(note, actor=actor, expected=(NoteState.PUBLISHED, NoteState.HIDDEN), now=now,
            where=[or_(Note.state == NoteState.PUBLISHED.value, Note.decision_reason.is_(None))],
            state=NoteState.HIDDEN, decision_reason=reason)
    _resolve_flags(note, actor=actor, outcome=FlagOutcome.HIDDEN, now=now)
    record_event("practice.note_hidden", actor=actor, target=note, reason=reason)
    _tell_author(note, _l("Your practice note has been hidden: %(title)s", title=note.title),
                 _l("The champion's reason: %(reason)s", reason=reason))
    return note


# --- comments -----------------------------------------------------------------------------------------------------

def _resolve_reports(comment: PracticeComment, *, actor: User, outcome: FlagOutcome, now: datetime) -> int:
    done = db.session.execute(update(CommentReport).where(CommentReport.comment_id == comment.id,
                                                          CommentReport.resolved_at.is_(None))
                              .values(resolved_at=now, resolved_by_id=actor.id, outcome=outcome)
                              .execution_options(synchronize_session=False))
    db.session.execute(update(PracticeComment).where(PracticeComment.id == comment.id).values(open_report_count=0)
                       .execution_options(synchronize_session=False))
    return done.rowcount


def hide_comment(*, comment: PracticeComment, actor: User, reason: str, now: datetime | None = None) -> None:
    _require(policies.can_moderate_comment(actor, comment))
    reason, now = clean_reason(reason), now or utcnow()
    done = db.session.execute(update(PracticeComment).where(PracticeComment.id == comment.id,
                                                            PracticeComment.hidden_at.is_(None))
                              .values(hidden_at=now, hidden_by_id=actor.id, hidden_reason=reason)
                              .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.refresh(comment)
        by = comment.hidden_by.display_name if comment.hidden_by else _("someone else")
        raise InvalidTransition(_("This comment was already hidden by %(name)s.", name=by))
    _resolve_reports(comment, actor=actor, outcome=FlagOutcome.HIDDEN, now=now)
    db.session.refresh(comment)
    record_event("practice.comment_hidden", actor=actor, target=comment, reason=reason)
    notify(recipient=comment.author, kind=notices.OUTCOME, url=f"/practice/{comment.note_id}",
           subject=_l("A comment you wrote on a practice note has been hidden"),
           body=_l("The champion's reason: %(reason)s", reason=reason))


def keep_comment(*, comment: PracticeComment, actor: User, now: datetime | None = None) -> None:
    _require(policies.can_moderate_comment(actor, comment))
    open_reports = db.session.scalar(select(CommentReport.id).where(CommentReport.comment_id == comment.id,
                                                                    CommentReport.resolved_at.is_(None)).limit(1))
    if open_reports is None:
        raise InvalidTransition(_("These reports have already been dealt with."))
    _resolve_reports(comment, actor=actor, outcome=FlagOutcome.KEPT, now=now or utcnow())
    db.session.refresh(comment)
    record_event("practice.comment_kept", actor=actor, target=comment)
