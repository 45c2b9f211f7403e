"""Who may do what with mentoring. Goals and agreements: the mentee and the mentor only — never HR or
administrators as such.

``can_view``, ``can_act_as_mentor`` and ``can_ask`` say *who* and guard the pages (``@load``); whether the mentoring
is still in the state an action needs is decided by the service's guarded update, so a second click gets a message
saying what happened. The state-aware policies below them decide which buttons and sections a page shows.
"""

from __future__ import annotations

from portal.auth.models import User
from portal.mentoring.models import HOLDING_STATES, UNANSWERED_STATES, Mentoring, MentoringState
from portal.mentoring.queries import offers_mentoring
from portal.support.models import SupporterProfile


def _is_mentee(user: User, mentoring: Mentoring) -> bool:
    return user.is_authenticated and mentoring.mentee_id == user.id


def _is_mentor(user: User, mentoring: Mentoring) -> bool:
    return user.is_authenticated and mentoring.mentor_id == user.id


def can_ask(user: User, profile: SupporterProfile) -> bool:
    """Anyone signed in may ask a supporter who offers mentoring, except themselves. (Whether the mentor is taking
    mentees, and whether they were asked already, the service says.)"""
    return user.is_authenticated and profile.user_id != user.id and offers_mentoring(profile)


def can_view(user: User, mentoring: Mentoring) -> bool:
    """The mentoring page, with the goals and the agreement; also agreeing, the first check and ending."""
    return _is_mentee(user, mentoring) or _is_mentor(user, mentoring)


def can_act_as_mentor(user: User, mentoring: Mentoring) -> bool:
    """Accepting or declining a request: its mentor."""
    return _is_mentor(user, mentoring)


def can_answer(user: User, mentoring: Mentoring) -> bool:
    return can_act_as_mentor(user, mentoring) and mentoring.state == MentoringState.REQUESTED


def can_agree(user: User, mentoring: Mentoring) -> bool:
    return can_view(user, mentoring) and mentoring.state in HOLDING_STATES


def can_check(user: User, mentoring: Mentoring) -> bool:
    return (can_view(user, mentoring) and mentoring.state == MentoringState.ACTIVE
            and mentoring.first_check_at is None)


def can_end(user: User, mentoring: Mentoring) -> bool:
    return can_view(user, mentoring) and mentoring.state in HOLDING_STATES


def can_see_other_mentors(user: User, mentoring: Mentoring) -> bool:
    """A mentee whose request was declined or lapsed is pointed at other mentors."""
    return _is_mentee(user, mentoring) and mentoring.state in UNANSWERED_STATES


def can_book_session(user: User, mentoring: Mentoring) -> bool:
    """The mentee of an active mentoring books sessions with their mentor."""
    return _is_mentee(user, mentoring) and mentoring.state == MentoringState.ACTIVE
