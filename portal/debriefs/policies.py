"""Who may do what with a de-brief request. Confidential content: the requester and the claiming supporter only —
never HR or administrators as such.

Policies say *who*; whether the request is still in the state an action needs is decided by the service's guarded
update (a second click, or a second supporter, gets a message saying what happened instead).
"""

from __future__ import annotations

from portal.auth.models import User
from portal.common.roles import Role
from portal.debriefs.models import DebriefRequest, DebriefState


def can_view(user: User, request: DebriefRequest) -> bool:
    """The request page, with what was said: the requester and the supporter who claimed it."""
    return can_see_as_requester(user, request) or can_act_as_supporter(user, request)


def can_see_as_requester(user: User, request: DebriefRequest) -> bool:
    return user.is_authenticated and request.requester_id == user.id


def can_act_as_supporter(user: User, request: DebriefRequest) -> bool:
    """The supporter who claimed it: records that it was held, checks in, closes."""
    return user.is_authenticated and request.claimed_by_id is not None and request.claimed_by_id == user.id


def can_claim(user: User, request: DebriefRequest) -> bool:
    """A supporter who was told about it and did not ask for it. (Only one claim wins: the service decides.)"""
    return (user.is_authenticated and user.has_role(Role.SUPPORTER) and request.requester_id != user.id
            and request.is_recipient(user))


def can_record_held(user: User, request: DebriefRequest) -> bool:
    return can_act_as_supporter(user, request) and request.state == DebriefState.CLAIMED


def can_check_in(user: User, request: DebriefRequest) -> bool:
    return can_act_as_supporter(user, request) and request.state in (DebriefState.HELD, DebriefState.FOLLOW_UPS)


def can_close(user: User, request: DebriefRequest) -> bool:
    return can_act_as_supporter(user, request) and request.state == DebriefState.FOLLOW_UPS


def can_see_signposting(user: User, request: DebriefRequest) -> bool:
    """The safety box stays in front of the person who asked until their de-brief is closed."""
    return can_see_as_requester(user, request) and request.state != DebriefState.CLOSED
