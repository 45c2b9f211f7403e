"""Reading practice notes: the published list (keyset pages, filters), a note's comments and revisions, the
champions' queue and its one-query count, featured notes for a person's home page, and follows.

Lists cost a fixed number of queries whatever their length: one keyset query (author and unit joined), one
``selectin`` for the tags, and one for the reader's own "useful" marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, false, func, literal, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.common.pagination import Page, keyset_page
from portal.common.roles import Role
from portal.common.templating import BADGE_MOST
from portal.db import utcnow
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import subtree_unit_ids
from portal.practice.models import (
    CommentReport,
    Feature,
    Follow,
    Note,
    NoteFlag,
    NoteState,
    NoteTag,
    PracticeComment,
    ProposalAnswer,
    Revision,
    ThanksProposal,
    Useful,
)

NOTE_ORDER = [(Note.published_at, True), (Note.id, True)]


@dataclass(frozen=True)
class NoteFilter:
    tag: str | None = None
    unit: Unit | None = None
    following: User | None = None  # only what this person follows


def published_statement(filters: NoteFilter) -> Select:
    stmt = select(Note).where(Note.state == NoteState.PUBLISHED.value)
    if filters.tag:
        stmt = stmt.where(exists().where(NoteTag.note_id == Note.id, NoteTag.tag == filters.tag))
    if filters.unit is not None:
        stmt = stmt.where(Note.unit_id.in_(subtree_unit_ids(filters.unit)))
    if filters.following is not None:
        stmt = stmt.where(_followed_by(filters.following))
    return stmt


def _followed_by(user: User):
    """A note in a unit the person follows (or beneath it), or with a tag they follow."""
    note_unit = Unit.__table__.alias("note_unit")
    followed = Unit.__table__.alias("followed_unit")
    by_unit = exists().where(Follow.user_id == user.id, Follow.unit_id == followed.c.id,
                             note_unit.c.id == Note.unit_id, note_unit.c.path.startswith(followed.c.path))
    by_tag = exists().where(Follow.user_id == user.id, NoteTag.note_id == Note.id, NoteTag.tag == Follow.tag)
    return or_(by_unit, by_tag)


def published_page(filters: NoteFilter, *, cursor: str | None, size: int) -> Page[Note]:
    return keyset_page(published_statement(filters), order=NOTE_ORDER, cursor=cursor, size=size, session=db.session)


def useful_to(user: User, notes: list[Note]) -> set[int]:
    """Which of ``notes`` the person marked useful: one query."""
    if not notes:
        return set()
    return set(db.session.scalars(select(Useful.note_id).where(Useful.user_id == user.id,
                                                               Useful.note_id.in_([n.id for n in notes]))))


def comments_on(note: Note) -> list[PracticeComment]:
    return list(db.session.scalars(select(PracticeComment).where(PracticeComment.note_id == note.id)
                                   .order_by(PracticeComment.created_at, PracticeComment.id)))


def latest_revision(note: Note) -> Revision | None:
    return db.session.scalar(select(Revision).where(Revision.note_id == note.id)
                             .order_by(Revision.number.desc()).limit(1))


def compared_revision(note: Note, latest: Revision | None) -> Revision | None:
    """What a moderator compares the latest words with: the last published version before it; for a note never
    published, the version before the latest (what they last saw, before asking for changes)."""
    if latest is None:
        return None
    earlier = select(Revision).where(Revision.note_id == note.id, Revision.number < latest.number)
    published = db.session.scalar(earlier.where(Revision.was_published.is_(True))
                                  .order_by(Revision.number.desc()).limit(1))
    return published or db.session.scalar(earlier.order_by(Revision.number.desc()).limit(1))


def open_flags(note: Note) -> list[NoteFlag]:
    return list(db.session.scalars(select(NoteFlag).where(NoteFlag.note_id == note.id, NoteFlag.resolved_at.is_(None))
                                   .order_by(NoteFlag.created_at, NoteFlag.id)))


def open_comment_reports(comment_ids: list[int]) -> dict[int, list[CommentReport]]:
    found: dict[int, list[CommentReport]] = {}
    if comment_ids:
        for report in db.session.scalars(select(CommentReport).where(CommentReport.comment_id.in_(comment_ids),
                                                                     CommentReport.resolved_at.is_(None))
                                         .order_by(CommentReport.created_at, CommentReport.id)):
            found.setdefault(report.comment_id, []).append(report)
    return found


def my_notes(user: User, *, limit: int = 50) -> list[Note]:
    return list(db.session.scalars(select(Note).where(Note.author_id == user.id)
                                   .order_by(Note.updated_at.desc(), Note.id.desc()).limit(limit)))


# --- the champions' queue -------------------------------------------------------------------------------------------

def _in_area(user: User):
    if not user.has_role(Role.CHAMPION):
        return false()
    return Note.unit_id.in_(subtree_unit_ids(user.unit))


def pending_statement(user: User) -> Select:
    return select(Note).where(Note.state == NoteState.PENDING.value, _in_area(user))


def flagged_statement(user: User) -> Select:
    """Hidden notes no champion has decided about yet, and published notes with open flags."""
    return select(Note).where(_in_area(user), or_(
        and_(Note.state == NoteState.HIDDEN.value, Note.decision_reason.is_(None)),
        and_(Note.state == NoteState.PUBLISHED.value, Note.open_flag_count > 0)))


def due_statement(user: User, *, now=None) -> Select:
    return select(Note).where(_in_area(user), Note.state == NoteState.PUBLISHED.value,
                              Note.review_due_at <= (now or utcnow()))


def reported_comments_statement(user: User) -> Select:
    return (select(PracticeComment).join(Note, Note.id == PracticeComment.note_id)
            .where(_in_area(user), PracticeComment.hidden_at.is_(None), PracticeComment.open_report_count > 0))


def _reported_thanks(user: User) -> Select:
    from portal.recognition.queries import open_reports_statement

    return open_reports_statement(user)


# Badges count the queue up to this many (shown as "99+"): each part stops reading at it, so a trust-wide champion's
# badge, on every page they open, does not count thousands of notes due for review (scale M: 9,300; 43 ms a page).
QUEUE_COUNT_CAP = BADGE_MOST + 1


def _capped_count(parts: list[Select]) -> int:
    """The rows of ``parts`` together, counted up to ``QUEUE_COUNT_CAP`` (one statement of COUNT subqueries)."""
    total = sum((select(func.count()).select_from(part.limit(QUEUE_COUNT_CAP).subquery()).scalar_subquery()
                 for part in parts), start=literal(0))
    return min(int(db.session.scalar(select(total)) or 0), QUEUE_COUNT_CAP)


def queue_count(user: User) -> int:
    """Everything waiting in a champion's queue — notes to review, flagged notes, reported comments, notes due for
    review and reported thank-yous — up to ``QUEUE_COUNT_CAP``."""
    if not user.has_role(Role.CHAMPION):
        return 0
    return _capped_count([pending_statement(user), flagged_statement(user), reported_comments_statement(user),
                          due_statement(user), _reported_thanks(user)])


def notes_count(user: User) -> int:
    """The notes part of the queue (the home page lists reported thank-yous separately), up to
    ``QUEUE_COUNT_CAP``."""
    if not user.has_role(Role.CHAMPION):
        return 0
    return _capped_count([pending_statement(user), flagged_statement(user), reported_comments_statement(user),
                          due_statement(user)])


def queue_lists(user: User, *, size: int) -> dict[str, list]:
    """The first ``size`` of each part of the queue, oldest first (one query each, authors and units joined)."""
    pending = db.session.scalars(pending_statement(user).order_by(Note.submitted_at, Note.id).limit(size))
    flagged = db.session.scalars(flagged_statement(user).order_by(Note.decided_at, Note.id).limit(size))
    due = db.session.scalars(due_statement(user).order_by(Note.review_due_at, Note.id).limit(size))
    comments = db.session.scalars(reported_comments_statement(user).options(joinedload(PracticeComment.note))
                                  .order_by(PracticeComment.created_at, PracticeComment.id).limit(size))
    return {"pending": list(pending), "flagged": list(flagged), "due": list(due), "comments": list(comments)}


def reported_thanks(user: User, *, size: int) -> list:
    from portal.recognition.models import Report
    from portal.recognition.queries import post_options

    stmt = _reported_thanks(user).options(joinedload(Report.reporter), joinedload(Report.comment),
                                          joinedload(Report.post).options(*post_options()))
    return list(db.session.scalars(stmt.order_by(Report.created_at, Report.id).limit(size)).unique())


def thanks_to_share(user: User, *, size: int) -> list:
    """Public thank-yous to people in the champion's area that say what others can learn, not yet asked about."""
    from portal.recognition.models import Post, PostRecipient, Visibility
    from portal.recognition.queries import post_options

    if not user.has_role(Role.CHAMPION):
        return []
    stmt = (select(Post).where(Post.visibility == Visibility.PUBLIC, Post.withdrawn_at.is_(None),
                               Post.hidden_at.is_(None), Post.learning != "",
                               exists().where(PostRecipient.post_id == Post.id,
                                              PostRecipient.unit_id.in_(subtree_unit_ids(user.unit))),
                               ~exists().where(ThanksProposal.post_id == Post.id))
            .options(*post_options()).order_by(Post.created_at.desc(), Post.id.desc()).limit(size))
    return list(db.session.scalars(stmt).unique())


def proposals_waiting_for(user: User) -> list[ProposalAnswer]:
    from portal.practice.models import Answer, ProposalState

    return list(db.session.scalars(
        select(ProposalAnswer).join(ThanksProposal, ThanksProposal.id == ProposalAnswer.proposal_id)
        .where(ProposalAnswer.user_id == user.id, ProposalAnswer.answer == Answer.WAITING.value,
               ThanksProposal.state == ProposalState.ASKING.value)))


# --- cascade ------------------------------------------------------------------------------------------------------

def featured_for(user: User, *, limit: int = 3, now=None) -> list[Note]:
    """Published notes featured to the person's unit or any unit above it, until a date not yet passed; newest
    feature first. One query (the unit's ancestors are read off its path)."""
    now = now or utcnow()
    units = [*user.unit.ancestor_ids, user.unit.id]
    newest = (select(Feature.note_id, func.max(Feature.created_at).label("featured_at"))
              .where(Feature.unit_id.in_(units), Feature.until > now).group_by(Feature.note_id).subquery())
    stmt = (select(Note).join(newest, newest.c.note_id == Note.id).where(Note.state == NoteState.PUBLISHED.value)
            .order_by(newest.c.featured_at.desc(), Note.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


def features_of(note: Note, *, now=None) -> list[Feature]:
    return list(db.session.scalars(select(Feature).where(Feature.note_id == note.id, Feature.until > (now or utcnow()))
                                   .order_by(Feature.until)))


def follows_of(user: User) -> list[Follow]:
    return list(db.session.scalars(select(Follow).options(selectinload(Follow.unit)).where(Follow.user_id == user.id)
                                   .order_by(Follow.tag.is_(None), Follow.tag, Follow.id)))


def newer_candidates(note: Note, query: str, *, limit: int = 10) -> list[Note]:
    """Published notes a champion might point an older one to: matching the words typed, newest first."""
    stmt = select(Note).where(Note.state == NoteState.PUBLISHED.value, Note.id != note.id)
    words = " ".join((query or "").split())[:120]
    if words:
        stmt = stmt.where(func.lower(Note.title).contains(words.lower(), autoescape=True))
    return list(db.session.scalars(stmt.order_by(Note.published_at.desc(), Note.id.desc()).limit(limit)))
