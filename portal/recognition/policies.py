"""Who may see and do what with recognition. Templates call these same functions.

Visibility (DESIGN.md "Privacy tiers"): public posts are for every signed-in person; team and private posts for the
author, the people named, their line managers and, when a whole team was thanked, the members of that team (its
unit and the units beneath it). Sharing a unit with a person thanked is not enough. Withdrawn posts are shown to
nobody. Moderation (reporting, hiding) applies to public posts only, so a hidden post is seen by its author and,
if it is public, by those who may moderate it: hiding never widens who can read a post.
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


def in_team_thanked(user: User, post: Post) -> bool:
    """``user`` works in a team thanked as a whole (its unit or a unit beneath it)."""
    return any(r.user_id is None and user.unit.path.startswith(r.unit.path) for r in post.recipients)


def is_named(user: User, post: Post) -> bool:
    """``user`` is one of the people thanked, or a member of a team thanked."""
    return user.id in post.recipient_user_ids or in_team_thanked(user, post)


def manages_a_recipient(user: User, post: Post) -> bool:
    return any(r.user is not None and r.user.manager_id == user.id for r in post.recipients)


def in_private_circle(user: User, post: Post) -> bool:
    return user.id == post.author_id or is_named(user, post) or manages_a_recipient(user, post)


def can_view(user: User, post: Post) -> bool:
    if post.withdrawn_at is not None:
        return False
    if post.hidden_at is not None:  # the author may read why; moderators only ever see public posts
        return user.id == post.author_id or can_moderate(user, post)
    if post.visibility == Visibility.PUBLIC:
        return True
    return in_private_circle(user, post)


def can_edit(user: User, post: Post, *, now=None) -> bool:
    """The author may change the words for a few minutes after sending (RECOGNITION_EDIT_MINUTES)."""
    return (post.kind == PostKind.THANK_YOU and user.id == post.author_id and post.is_live
            and (now or utcnow()) < post.created_at + edit_window())


def can_withdraw(user: User, post: Post) -> bool:
    return post.kind == PostKind.THANK_YOU and user.id == post.author_id and post.withdrawn_at is None


def visibility_locked(post: Post) -> bool:
    """Once a person thanked has made it private, the author cannot open it up again."""
    return post.made_private_at is not None


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
    """Public posts only: HR everywhere; a service champion for posts to people or teams in their unit's subtree.
    Team and private posts are never reported, hidden or read by moderators as moderators."""
    if post.visibility != Visibility.PUBLIC:
        return False
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
