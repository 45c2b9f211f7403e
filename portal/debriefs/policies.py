"""Who may do what with a de-brief request. Confidential content: the requester and the claiming supporter only —
never HR or administrators as such."""

from __future__ import annotations

from portal.auth.models import User
from portal.common.roles import Role
from portal.debriefs.models import DebriefRequest, DebriefState


def is_requester(user: User, request: DebriefRequest) -> bool:
    return user.is_authenticated and request.requester_id == user.id


def is_assigned_supporter(user: User, request: DebriefRequest) -> bool:
    return user.is_authenticated and request.claimed_by_id is not None and request.claimed_by_id == user.id


def can_view(user: User, request: DebriefRequest) -> bool:
    """The request page, with what was said: the requester and the supporter who claimed it."""
    return is_requester(user, request) or is_assigned_supporter(user, request)


def can_claim(user: User, request: DebriefRequest) -> bool:
    return (user.is_authenticated and request.state == DebriefState.OPEN and user.has_role(Role.SUPPORTER)
            and request.requester_id != user.id and request.is_recipient(user))


def can_record_held(user: User, request: DebriefRequest) -> bool:
    return is_assigned_supporter(user, request) and request.state == DebriefState.CLAIMED


def can_check_in(user: User, request: DebriefRequest) -> bool:
    return is_assigned_supporter(user, request) and request.state in (DebriefState.HELD, DebriefState.FOLLOW_UPS)


def can_close(user: User, request: DebriefRequest) -> bool:
    return is_assigned_supporter(user, request) and request.state == DebriefState.FOLLOW_UPS
