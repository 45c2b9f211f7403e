"""Who may see and do what with practice notes. Views load with these; templates ask the same ones through
``can.practice.<verb>(obj)``.

Published, superseded and archived notes are for everyone signed in. A draft is its author's alone. A note waiting
for review, sent back, hidden or not published is for its author and the champions whose area takes in the note's
unit of origin (their unit and everything beneath it) — the moderators of that note.

The policies a view loads with say *who* (``can_moderate``, ``can_view`` …); whether the note is still in the state
an action needs is decided by the service's guarded update, so a second champion gets "already decided by …". The
``can_<verb>`` policies that also look at the state decide whether a button is shown.
"""

from __future__ import annotations

from portal.auth.models import User
from portal.common.roles import Role
from portal.practice.models import (
    READABLE_STATES,
    Answer,
    Note,
    NoteState,
    PracticeComment,
    ProposalState,
    ThanksProposal,
)
from portal.recognition.models import Visibility
from portal.recognition.policies import can_view as can_view_thanks

AUTHOR_EDITABLE = (NoteState.DRAFT, NoteState.PENDING, NoteState.CHANGES_REQUESTED, NoteState.PUBLISHED)


def is_champion(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.CHAMPION)


def in_area(user: User, unit) -> bool:
    """``unit`` is the champion's own unit or beneath it."""
    return is_champion(user) and unit.path.startswith(user.unit.path)


def is_author(user: User, note: Note) -> bool:
    return user.is_authenticated and note.author_id == user.id


# --- notes -----------------------------------------------------------------------------------------------------

def can_moderate(user: User, note: Note) -> bool:
    """A champion whose area takes in the note's unit; drafts are nobody's to moderate."""
    return note.state != NoteState.DRAFT and in_area(user, note.unit)


def can_view(user: User, note: Note) -> bool:
    if note.state in READABLE_STATES:
        return user.is_authenticated
    return is_author(user, note) or can_moderate(user, note)


def can_edit(user: User, note: Note) -> bool:
    """The author while it is a draft, waiting, sent back or published; a moderator while it waits (edit and
    approve) or once it is published."""
    if is_author(user, note):
        return note.state in AUTHOR_EDITABLE
    return can_moderate(user, note) and note.state in (NoteState.PENDING, NoteState.PUBLISHED)


def can_manage(user: User, note: Note) -> bool:
    """The author: sends their draft (the service refuses a state that has moved on)."""
    return is_author(user, note)


def can_open_editor(user: User, note: Note) -> bool:
    """Who the edit page is for (its service refuses a state that has moved on)."""
    return is_author(user, note) or can_moderate(user, note)


def can_submit(user: User, note: Note) -> bool:
    return is_author(user, note) and note.state in (NoteState.DRAFT, NoteState.CHANGES_REQUESTED)


def can_approve(user: User, note: Note) -> bool:
    return can_moderate(user, note) and note.state == NoteState.PENDING


def can_clear_personal_data(user: User, note: Note) -> bool:
    return can_moderate(user, note) and note.has_live_personal_data_flag


def can_review_flags(user: User, note: Note) -> bool:
    """Keep up (closing its flags) or hide a published or hidden note."""
    return can_moderate(user, note) and note.state in (NoteState.PUBLISHED, NoteState.HIDDEN)


def can_restore(user: User, note: Note) -> bool:
    return can_moderate(user, note) and note.state == NoteState.HIDDEN


def can_hide(user: User, note: Note) -> bool:
    return can_moderate(user, note) and note.state == NoteState.PUBLISHED


def can_curate(user: User, note: Note) -> bool:
    """Feature, supersede, re-verify or archive a published note."""
    return can_moderate(user, note) and note.state == NoteState.PUBLISHED


def can_archive(user: User, note: Note) -> bool:
    return can_moderate(user, note) and note.state in (NoteState.PUBLISHED, NoteState.HIDDEN)


def can_react(user: User, note: Note) -> bool:
    """Mark useful and comment: a published note."""
    return user.is_authenticated and note.state == NoteState.PUBLISHED


def can_mark_useful(user: User, note: Note) -> bool:
    return can_react(user, note) and not is_author(user, note)


def can_flag(user: User, note: Note) -> bool:
    return can_react(user, note) and not is_author(user, note)


def can_see_review(user: User, note: Note) -> bool:
    """The moderator's page for a note (what changed, flags, the guard's findings)."""
    return can_moderate(user, note)


def can_see_decision(user: User, note: Note) -> bool:
    """The reason a champion gave: the author and the note's moderators."""
    return note.decision_reason is not None and (is_author(user, note) or can_moderate(user, note))


def can_stop_feature(user: User, feature) -> bool:
    """A champion whose area takes in the unit it was featured to."""
    return in_area(user, feature.unit)


def can_unfollow(user: User, follow) -> bool:
    return user.is_authenticated and follow.user_id == user.id


# --- comments --------------------------------------------------------------------------------------------------

def can_see_comment(user: User, comment: PracticeComment) -> bool:
    return comment.hidden_at is None or comment.author_id == user.id or can_moderate(user, comment.note)


def can_view_comment(user: User, comment: PracticeComment) -> bool:
    """The comment's note can be read and the comment is shown to this person."""
    return can_view(user, comment.note) and can_see_comment(user, comment)


def can_report_comment(user: User, comment: PracticeComment) -> bool:
    return (comment.hidden_at is None and comment.author_id != user.id and can_view(user, comment.note)
            and comment.note.state == NoteState.PUBLISHED)


def can_moderate_comment(user: User, comment: PracticeComment) -> bool:
    return can_moderate(user, comment.note)


def can_hide_comment(user: User, comment: PracticeComment) -> bool:
    return comment.hidden_at is None and can_moderate(user, comment.note)


# --- from thanks to practice -------------------------------------------------------------------------------------

def can_consider_thanks(user: User, post) -> bool:
    """The page that offers to turn a thank-you into a note: a champion who may read the thank-you (whether it
    can be turned into one is ``can_propose_from_thanks``)."""
    return is_champion(user) and can_view_thanks(user, post)


def can_propose_from_thanks(user: User, post) -> bool:
    """A champion, for a live public thank-you to someone in their area that says what others can learn."""
    return (is_champion(user) and post.is_live and post.visibility == Visibility.PUBLIC and bool(post.learning)
            and any(in_area(user, recipient.unit) for recipient in post.recipients))


def can_see_proposal(user: User, proposal: ThanksProposal) -> bool:
    return proposal.champion_id == user.id or any(a.user_id == user.id for a in proposal.answers)


def can_answer_proposal(user: User, proposal: ThanksProposal) -> bool:
    """Someone asked who has not answered yet, while the question is open."""
    return proposal.state == ProposalState.ASKING and any(
        a.user_id == user.id and a.answer == Answer.WAITING for a in proposal.answers)


def can_finish_draft(user: User, proposal: ThanksProposal) -> bool:
    return proposal.note_id is not None and proposal.champion_id == user.id
