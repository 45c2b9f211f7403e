"""Who may do what with a mentoring request. Goals and agreements: the mentee and the mentor only."""

from __future__ import annotations

from portal.auth.models import User
from portal.mentoring.models import HOLDING_STATES, Mentoring, MentoringState


def is_mentee(user: User, mentoring: Mentoring) -> bool:
    return user.is_authenticated and mentoring.mentee_id == user.id


def is_mentor(user: User, mentoring: Mentoring) -> bool:
    return user.is_authenticated and mentoring.mentor_id == user.id


def can_view(user: User, mentoring: Mentoring) -> bool:
    return is_mentee(user, mentoring) or is_mentor(user, mentoring)


def can_answer(user: User, mentoring: Mentoring) -> bool:
    return is_mentor(user, mentoring) and mentoring.state == MentoringState.REQUESTED


def can_agree(user: User, mentoring: Mentoring) -> bool:
    return can_view(user, mentoring) and mentoring.state in HOLDING_STATES


def can_check(user: User, mentoring: Mentoring) -> bool:
    return (can_view(user, mentoring) and mentoring.state == MentoringState.ACTIVE
            and mentoring.first_check_at is None)


def can_end(user: User, mentoring: Mentoring) -> bool:
    return can_view(user, mentoring) and mentoring.state in HOLDING_STATES
