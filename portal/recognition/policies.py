"""Who may see and do what with recognition. Views load with these; templates ask the same ones through
``can.recognition.<verb>(obj)``.

Visibility (DESIGN.md "Privacy tiers"): public posts are for every signed-in person; team and private posts for the
author, the people named, their line managers and, when a whole team was thanked, the members of that team (its
unit and the units beneath it). Sharing a unit with a person thanked is not enough. Withdrawn posts are shown to
nobody. Moderation (reporting, hiding) applies to public posts only, so a hidden post is seen by its author and,
if it is public, by those who may moderate it: hiding never widens who can read a post.

The policies a view loads with say *who* (``can_manage``, ``can_act_as_recipient``, ``can_moderate`` …); whether
the post is still in the state the action needs is decided by the service, so a second click gets a message
saying what happened. The ``can_<verb>`` policies that also check the state (``can_edit``, ``can_hide`` …) decide
whether a button is shown.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from portal.auth.models import User
from portal.common.roles import Role
from portal.db import utcnow
from portal.recognition.models import Comment, Post, PostKind, Report, Visibility


def edit_window() -> timedelta:
    return timedelta(minutes=current_app.config.get("RECOGNITION_EDIT_MINUTES", 5))


def editable_until(post: Post) -> datetime:
    """When the author's chance to change the words ends (RECOGNITION_EDIT_MINUTES after sending)."""
    return post.created_at + edit_window()


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


# --- posts ------------------------------------------------------------------------------------------------------

def can_view(user: User, post: Post) -> bool:
    """The post's page, appreciating it and adding your thanks (the service refuses those once it is not live)."""
    if post.withdrawn_at is not None:
        return False
    if post.hidden_at is not None:  # the author may read why; moderators only ever see public posts
        return user.id == post.author_id or can_moderate(user, post)
    if post.visibility == Visibility.PUBLIC:
        return True
    return in_private_circle(user, post)


def can_manage(user: User, post: Post) -> bool:
    """The author of a thank-you (award announcements have no author to change them): changes and withdraws it."""
    return post.kind == PostKind.THANK_YOU and user.id == post.author_id


def can_edit(user: User, post: Post, *, now: datetime | None = None) -> bool:
    """The author may change the words of a live thank-you for a few minutes after sending."""
    return can_manage(user, post) and post.is_live and (now or utcnow()) < editable_until(post)


def can_change_visibility(user: User, post: Post, *, now: datetime | None = None) -> bool:
    """Once a person thanked has made it private, the author cannot open it up again."""
    return can_edit(user, post, now=now) and post.made_private_at is None


def can_withdraw(user: User, post: Post) -> bool:
    return can_manage(user, post) and post.withdrawn_at is None


def can_act_as_recipient(user: User, post: Post) -> bool:
    """A person thanked by name, while the thank-you has not been withdrawn: may take it off display."""
    return user.id in post.recipient_user_ids and post.withdrawn_at is None


def can_make_private(user: User, post: Post) -> bool:
    return can_act_as_recipient(user, post) and post.visibility != Visibility.PRIVATE and post.is_live


def can_react(user: User, post: Post) -> bool:
    """Add your thanks (a comment)."""
    return post.is_live and can_view(user, post)


def can_appreciate(user: User, post: Post) -> bool:
    """Appreciate someone else's thank-you: never your own."""
    return can_react(user, post) and user.id != post.author_id


def can_report(user: User, post: Post) -> bool:
    return post.is_live and post.visibility == Visibility.PUBLIC and user.id != post.author_id


def can_moderate(user: User, post: Post) -> bool:
    """Public posts only: HR everywhere; a service champion for posts to people or teams in their unit's subtree.
    Team and private posts are never reported, hidden or read by moderators as moderators; withdrawn ones are
    for nobody."""
    if post.visibility != Visibility.PUBLIC or post.withdrawn_at is not None:
        return False
    if user.has_role(Role.HR):
        return True
    if not user.has_role(Role.CHAMPION):
        return False
    return any(r.unit.path.startswith(user.unit.path) for r in post.recipients)


def can_hide(user: User, post: Post) -> bool:
    return post.is_live and can_moderate(user, post)


def can_moderate_any(user: User) -> bool:
    return user.has_any_role((Role.HR, Role.CHAMPION))


# --- comments and reports ---------------------------------------------------------------------------------------

def can_see_comment(user: User, comment: Comment) -> bool:
    """The one rule for comments: a hidden comment is read only by the person who wrote it (to see why) and by
    those who may moderate the post. The post's page lists, and the wall's cards count, exactly these."""
    return comment.hidden_at is None or comment.author_id == user.id or can_moderate(user, comment.post)


def visible_comments(user: User, post: Post) -> list[Comment]:
    return [comment for comment in post.comments if can_see_comment(user, comment)]


def can_report_comment(user: User, comment: Comment) -> bool:
    return comment.hidden_at is None and comment.author_id != user.id and can_report(user, comment.post)


def can_moderate_comment(user: User, comment: Comment) -> bool:
    return can_moderate(user, comment.post)


def can_hide_comment(user: User, comment: Comment) -> bool:
    return comment.hidden_at is None and comment.post.is_live and can_moderate(user, comment.post)


def can_review(user: User, report: Report) -> bool:
    """Close a report (keep the item up): those who may moderate the post reported."""
    return can_moderate(user, report.post)


# --- people -----------------------------------------------------------------------------------------------------

def can_see_received(viewer: User, person: User) -> bool:
    """A person's recognition page: anyone signed in, for a person whose account is active."""
    return person.is_active_account


def can_see_everything_received(viewer: User, person: User) -> bool:
    """A person and their line manager see private and team thanks on the person's page, and may download them."""
    return can_see_received(viewer, person) and (viewer.id == person.id or person.manager_id == viewer.id)
