"""Who may see and do what with recognition. Templates call these same functions.

Visibility (DESIGN.md): public posts are for every signed-in person; team posts for the people named, their line
managers, the author and the members of the recipients' units; private posts for the people named, their line
managers and the author. Withdrawn posts are shown to nobody; hidden ones only to those who may moderate them.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from portal.auth.models import User
from portal.common.roles import Role
from portal.db import utcnow
from portal.recognition.models import Comment, Post, PostKind, Visibility


def edit_window() -> timedelta:
    return timedelta(minutes=current_app.config.get("RECOGNITION_EDIT_MINUTES", 5))


def is_named(user: User, post: Post) -> bool:
    """``user`` is one of the people thanked, or a member of a team thanked."""
    return user.id in post.recipient_user_ids or user.unit_id in post.team_unit_ids


def manages_a_recipient(user: User, post: Post) -> bool:
    return any(r.user is not None and r.user.manager_id == user.id for r in post.recipients)


def in_private_circle(user: User, post: Post) -> bool:
    return user.id == post.author_id or is_named(user, post) or manages_a_recipient(user, post)


def can_view(user: User, post: Post) -> bool:
    if post.withdrawn_at is not None:
        return False
    if post.hidden_at is not None:  # the author may read why
        return user.id == post.author_id or can_moderate(user, post)
    if post.visibility == Visibility.PUBLIC:
        return True
    if in_private_circle(user, post):
        return True
    return post.visibility == Visibility.TEAM and user.unit_id in {r.unit_id for r in post.recipients}


def can_edit(user: User, post: Post, *, now=None) -> bool:
    """The author may change the words for a few minutes after sending (RECOGNITION_EDIT_MINUTES)."""
    return (post.kind == PostKind.THANK_YOU and user.id == post.author_id and post.is_live
            and (now or utcnow()) < post.created_at + edit_window())


def can_withdraw(user: User, post: Post) -> bool:
    return post.kind == PostKind.THANK_YOU and user.id == post.author_id and post.withdrawn_at is None


def can_make_private(user: User, post: Post) -> bool:
    return post.visibility != Visibility.PRIVATE and post.is_live and user.id in post.recipient_user_ids


def can_react(user: User, post: Post) -> bool:
    """Appreciate and add your thanks."""
    return post.is_live and can_view(user, post)


def can_report(user: User, post: Post) -> bool:
    return post.is_live and post.visibility == Visibility.PUBLIC and user.id != post.author_id


def can_report_comment(user: User, comment: Comment) -> bool:
    return comment.hidden_at is None and comment.author_id != user.id and can_report(user, comment.post)


def can_moderate(user: User, post: Post) -> bool:
    """HR everywhere; a service champion for posts to people or teams in their unit's subtree."""
    if user.has_role(Role.HR):
        return True
    if not user.has_role(Role.CHAMPION):
        return False
    return any(r.unit.path.startswith(user.unit.path) for r in post.recipients)


def can_moderate_any(user: User) -> bool:
    return user.has_any_role((Role.HR, Role.CHAMPION))


def can_see_everything_received(viewer: User, person: User) -> bool:
    """A person and their line manager see private and team thanks on the person's recognition page."""
    return viewer.id == person.id or person.manager_id == viewer.id
