"""Appreciations ("one per person, exact under concurrency") and short "add your thanks" comments."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.extensions import db
from portal.notifications.services import notify
from portal.recognition import policies
from portal.recognition.models import Appreciation, Comment, Post
from portal.recognition.services import COMMENTED

COMMENT_MAX = 500


def set_appreciation(*, post: Post, user: User, appreciated: bool) -> int:
    """Appreciate (or stop appreciating) a post; returns the new count.

    The button says which state it wants, so a double click or a second tab changes nothing twice. The primary
    key makes it one per person; the count moves in the same statement-level, row-locked UPDATE as the row, so it
    stays exact however many people press at once (on SQLite the request's write lock, taken up front, does).
    """
    if not policies.can_appreciate(user, post):
        raise InvalidTransition(_("You cannot appreciate your own thank-you.") if user.id == post.author_id
                                else _("This thank-you can no longer be appreciated."))
    if appreciated:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(Appreciation).values(post_id=post.id, user_id=user.id))
        except IntegrityError:  # already appreciated (another tab, a double click)
            changed = 0
        else:
            changed = 1
    else:
        changed = -db.session.execute(
            delete(Appreciation).where(Appreciation.post_id == post.id, Appreciation.user_id == user.id)
        ).rowcount
    if changed:
        return db.session.scalar(update(Post).where(Post.id == post.id)
                                 .values(appreciation_count=Post.appreciation_count + changed)
                                 .returning(Post.appreciation_count)
                                 .execution_options(synchronize_session=False))
    return db.session.scalar(select(Post.appreciation_count).where(Post.id == post.id))


def _comment_with(author: User, key: str | None) -> Comment | None:
    if not key:
        return None
    return db.session.scalar(select(Comment).where(Comment.idempotency_key == key, Comment.author_id == author.id))


def add_comment(*, post: Post, author: User, body: str, idempotency_key: str | None = None) -> Comment:
    """Add your thanks under a post (1–500 characters). The people thanked hear about it in their digest.

    The same ``idempotency_key`` again from the same author (a double click) returns the first comment and tells
    nobody twice; a key someone else used (a copied form) is a Conflict.
    """
    existing = _comment_with(author, idempotency_key)
    if existing is not None:
        return existing
    if not policies.can_react(author, post):
        raise InvalidTransition(_("You can no longer add your thanks to this."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write your thanks"), field="body")
    if len(body) > COMMENT_MAX:
        raise DomainError(_("Your thanks must be %(n)d characters or fewer", n=COMMENT_MAX), field="body")
    comment = Comment(post_id=post.id, author_id=author.id, author=author, body=body,
                      idempotency_key=idempotency_key or None)
    try:
        with db.session.begin_nested():
            db.session.add(comment)
    except IntegrityError:  # its twin got there first
        twin = _comment_with(author, idempotency_key)
        if twin is None:  # a key someone else already used: a copied or replayed form, not a double click
            message = _("This form was already sent. Go back, reload the page and add your thanks again.")
            raise Conflict(message) from None
        return twin
    for recipient in post.recipients:
        if recipient.user is not None and recipient.user_id != author.id:
            notify(recipient=recipient.user, kind=COMMENTED.name, url=f"/thanks/{post.id}",
                   subject=_l("%(name)s added their thanks", name=author.display_name),
                   body=_l("Open Frontline to read it."))
    return comment
