"""What readers do with a published note: mark it useful (exact counts, no leaderboard), comment, flag it, report a
comment. Enough open flags from different people hide a note until a champion looks at it."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.services import notify
from portal.practice import notices, policies
from portal.practice.models import (
    COMMENT_MAX,
    REASON_MAX,
    CommentReport,
    FlagReason,
    Note,
    NoteFlag,
    NoteState,
    PracticeComment,
    Useful,
)
from portal.practice.services import tell_champions


def set_useful(*, note: Note, user: User, useful: bool) -> int:
    """Mark (or unmark) a note useful; returns the new count. The button says which state it wants, so a double
    click changes nothing twice; the primary key makes it one per person and the count moves in one UPDATE."""
    if not policies.can_mark_useful(user, note):
        raise InvalidTransition(_("This note can no longer be marked useful."))
    if useful:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(Useful).values(note_id=note.id, user_id=user.id))
        except IntegrityError:
            changed = 0
        else:
            changed = 1
    else:
        changed = -db.session.execute(delete(Useful).where(Useful.note_id == note.id,
                                                           Useful.user_id == user.id)).rowcount
    if changed:
        db.session.execute(update(Note).where(Note.id == note.id).values(useful_count=Note.useful_count + changed)
                           .execution_options(synchronize_session=False))
    db.session.expire(note, ["useful_count"])
    return db.session.scalar(select(Note.useful_count).where(Note.id == note.id))


def _comment_with(author: User, key: str | None) -> PracticeComment | None:
    if not key:
        return None
    return db.session.scalar(select(PracticeComment).where(PracticeComment.idempotency_key == key,
                                                           PracticeComment.author_id == author.id))


def add_comment(*, note: Note, author: User, body: str, idempotency_key: str | None = None) -> PracticeComment:
    """Comment on a published note (1–1,000 characters); the note's author hears about it."""
    existing = _comment_with(author, idempotency_key)
    if existing is not None:
        return existing
    if not policies.can_react(author, note):
        raise InvalidTransition(_("This note is no longer open for comments."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write your comment"), field="body")
    if len(body) > COMMENT_MAX:
        raise DomainError(_("Use %(n)d characters or fewer", n=COMMENT_MAX), field="body")
    comment = PracticeComment(note_id=note.id, author_id=author.id, author=author, body=body,
                              idempotency_key=idempotency_key or None)
    try:
        with db.session.begin_nested():
            db.session.add(comment)
    except IntegrityError:
        twin = _comment_with(author, idempotency_key)
        if twin is None:
            raise Conflict(_("This form was already sent. Reload the page and comment again.")) from None
        return twin
    if note.author_id != author.id:
        notify(recipient=note.author, kind=notices.COMMENTED, url=f"/practice/{note.id}#comments",
               subject=_l("%(name)s commented on your note %(title)s", name=author.display_name, title=note.title),
               body=_l("Open Frontline to read it."))
    record_event("practice.commented", actor=author, target=comment, note_id=note.id)
    return comment


def flags_to_hide() -> int:
    return int(current_app.config.get("PRACTICE_FLAGS_TO_HIDE", 3))


def _detail(detail: str | None) -> str:
    detail = (detail or "").strip()
    if len(detail) > REASON_MAX:
        raise DomainError(_("Use %(n)d characters or fewer", n=REASON_MAX), field="detail")
    return detail


def flag_note(*, note: Note, reporter: User, reason: FlagReason | str, detail: str = "",
              now: datetime | None = None) -> NoteFlag:
    """Tell the champions a note is wrong, out of date or holds personal data. One open flag per person; when
    PRACTICE_FLAGS_TO_HIDE people (3 by default) have flagged it, it is hidden until a champion looks."""
    if not policies.can_flag(reporter, note):
        raise InvalidTransition(_("This note cannot be flagged."))
    try:
        reason = FlagReason(reason)
    except ValueError:
        raise DomainError(_("Choose what is wrong"), field="reason") from None
    detail, now = _detail(detail), now or utcnow()
    if reason == FlagReason.OTHER and not detail:
        raise DomainError(_("Tell the champions what is wrong"), field="detail")
    flag = NoteFlag(note_id=note.id, reporter_id=reporter.id, reason=reason, detail=detail, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError:
        raise Conflict(_("You have already flagged this note. A service champion will look at it.")) from None
    db.session.execute(update(Note).where(Note.id == note.id).values(open_flag_count=Note.open_flag_count + 1)
                       .execution_options(synchronize_session=False))
    record_event("practice.note_flagged", actor=reporter, target=note, reason=reason)
    # The count and the state move in one conditional UPDATE: however many flag at once, it is hidden once.
    hidden = db.session.execute(update(Note).where(Note.id == note.id, Note.state == NoteState.PUBLISHED.value,
                                                   Note.open_flag_count >= flags_to_hide())
                                .values(state=NoteState.HIDDEN, decision_reason=None, decided_by_id=None,
                                        decided_at=now)
                                .execution_options(synchronize_session=False)).rowcount
    db.session.expire(note)
    if hidden:
        record_event("practice.note_hidden_by_flags", target=note, flags=note.open_flag_count)
    if hidden or note.open_flag_count == 1:  # the first flag, and the hiding: not every flag
        tell_champions(note, exclude_id=reporter.id)
    return flag


def report_comment(*, comment: PracticeComment, reporter: User, reason: str) -> CommentReport:
    if not policies.can_report_comment(reporter, comment):
        raise InvalidTransition(_("This comment cannot be reported."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tell us why"), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("Use %(n)d characters or fewer", n=REASON_MAX), field="reason")
    report = CommentReport(comment_id=comment.id, reporter_id=reporter.id, reason=reason)
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        raise Conflict(_("You have already reported this comment. A service champion will look at it.")) from None
    db.session.execute(update(PracticeComment).where(PracticeComment.id == comment.id)
                       .values(open_report_count=PracticeComment.open_report_count + 1)
                       .execution_options(synchronize_session=False))
    record_event("practice.comment_reported", actor=reporter, target=comment)
    return report
