"""Recognition: the values people are thanked for, thank-you posts and award announcements, appreciations,
"add your thanks" comments and reports.

Posts are never deleted: an author withdraws, a champion or HR hides, and both keep the row for audit. Giver's and
receivers' units are stored as they were at the time, so later moves do not rewrite history (HR signals use them).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import Choice, EnumText, utcnow
from portal.extensions import db
from portal.org.models import Unit


class Visibility(Choice):
    PUBLIC = "public", _l("Everyone (the thanks wall)")
    TEAM = "team", _l("Their team")
    PRIVATE = "private", _l("Private")


class PostKind(Choice):
    THANK_YOU = "thank_you", _l("Thank you")
    AWARD = "award", _l("Award")


class ReportOutcome(Choice):
    """How a report was closed."""

    HIDDEN = "hidden"  # a moderator hid the item
    KEPT = "kept"  # a moderator kept it up
    WITHDRAWN = "withdrawn"  # its author withdrew the thank-you
    NOT_PUBLIC = "not_public"  # it stopped being public, so it is no longer for moderators


class RecognitionValue(db.Model):
    """A value people can be thanked for. HR adds, renames and retires them; a value in use is never deleted."""

    __tablename__ = "recognition_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    is_retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]


class PostValue(db.Model):
    __tablename__ = "recognition_post_value"

    post_id: Mapped[int] = mapped_column(ForeignKey("recognition_post.id", ondelete="CASCADE"), primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("recognition_value.id"), primary_key=True, index=True)


# Live public thank-yous that say what others can learn ("What can we learn?" answered).
SHAREABLE = "visibility = 'public' AND withdrawn_at IS NULL AND hidden_at IS NULL AND learning <> ''"


class Post(db.Model):
    """A thank-you (or an award announcement) to one or more people and/or a whole team."""

    __tablename__ = "recognition_post"
    __table_args__ = (
        # The wall: public posts newest first (withdrawn/hidden ones are filtered on the same rows).
        Index("ix_recognition_post_wall", "visibility", "created_at", "id"),
        Index("ix_recognition_post_kind", "kind", "created_at", "id"),
        Index("ix_recognition_post_created", "created_at", "id"),  # search's "newest first" walks it
        # Live public thank-yous that say what others can learn, newest first (champions' "share as good practice").
        Index("ix_recognition_post_shareable", "created_at", "id", sqlite_where=text(SHAREABLE),
              postgresql_where=text(SHAREABLE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PostKind] = mapped_column(EnumText(PostKind, 20), default=PostKind.THANK_YOU)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    author_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    what_they_did: Mapped[str] = mapped_column(Text)
    difference: Mapped[str] = mapped_column(Text, default="")
    learning: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(EnumText(Visibility, 10), default=Visibility.PUBLIC)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    made_private_at: Mapped[datetime | None]
    made_private_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    appreciation_count: Mapped[int] = mapped_column(Integer, default=0)
    # The "Say thank you" form's key: the same form sent twice (a double click, a second tab) makes one post.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    recipients: Mapped[list[PostRecipient]] = relationship(
        back_populates="post", cascade="all, delete-orphan", order_by="PostRecipient.id")
    value_links: Mapped[list[PostValue]] = relationship(cascade="all, delete-orphan")
    values: Mapped[list[RecognitionValue]] = relationship(
        secondary="recognition_post_value", order_by="RecognitionValue.name", viewonly=True)
    comments: Mapped[list[Comment]] = relationship(back_populates="post", order_by="Comment.created_at")

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None and self.hidden_at is None

    @property
    def is_award(self) -> bool:
        return self.kind == PostKind.AWARD

    @property
    def recipient_user_ids(self) -> set[int]:
        return {r.user_id for r in self.recipients if r.user_id is not None}

    @property
    def team_unit_ids(self) -> set[int]:
        return {r.unit_id for r in self.recipients if r.user_id is None}


class PostRecipient(db.Model):
    """One person thanked (``user_id`` set, ``unit_id`` = their unit then) or a whole team (``user_id`` empty)."""

    __tablename__ = "recognition_recipient"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id", "unit_id"),
        # The wall filtered to a unit starts here: the subtree's units, then their posts, from the index alone.
        Index("ix_recognition_recipient_unit_post", "unit_id", "post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("recognition_post.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))

    post: Mapped[Post] = relationship(back_populates="recipients")
    user: Mapped[User | None] = relationship()
    unit: Mapped[Unit] = relationship()


class Appreciation(db.Model):
    """One person appreciating one post: the primary key makes it one each, whatever the race."""

    __tablename__ = "recognition_appreciation"

    post_id: Mapped[int] = mapped_column(ForeignKey("recognition_post.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Comment(db.Model):
    """A short "add your thanks" under a post."""

    __tablename__ = "recognition_comment"
    __table_args__ = (Index("ix_recognition_comment_post", "post_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("recognition_post.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    body: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    # The comment form's key: the same form sent twice makes one comment.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    post: Mapped[Post] = relationship(back_populates="comments")
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined", innerjoin=True)


OPEN_POST_REPORT = "resolved_at IS NULL AND comment_id IS NULL"
OPEN_COMMENT_REPORT = "resolved_at IS NULL AND comment_id IS NOT NULL"


class Report(db.Model):
    """Someone asking a champion or HR to look at a public post or a comment."""

    __tablename__ = "recognition_report"
    __table_args__ = (
        Index("ix_recognition_report_open", "resolved_at", "created_at"),
        # One open report per person per post, and per comment: a double click or two tabs make one report.
        Index("ix_recognition_report_open_post_once", "post_id", "reporter_id", unique=True,
              sqlite_where=text(OPEN_POST_REPORT), postgresql_where=text(OPEN_POST_REPORT)),
        Index("ix_recognition_report_open_comment_once", "comment_id", "reporter_id", unique=True,
              sqlite_where=text(OPEN_COMMENT_REPORT), postgresql_where=text(OPEN_COMMENT_REPORT)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("recognition_post.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("recognition_comment.id", ondelete="CASCADE"),
                                                   index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[ReportOutcome | None] = mapped_column(EnumText(ReportOutcome, 20))

    post: Mapped[Post] = relationship()
    comment: Mapped[Comment | None] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
