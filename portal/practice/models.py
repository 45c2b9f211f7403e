"""Good-practice notes: the note and every revision of it, tags, "useful" marks, comments, flags and reports,
features to a unit subtree, follows, and the questions asked before a thank-you becomes a note.

A note's own columns hold its latest words (what search and the pages read); each save also writes a revision, so a
moderator can compare any version with the last one that was published. Nothing is deleted: moderators hide, archive
or supersede, and every decision keeps who made it and when (``decided_by_id``, ``decided_at``).

Tags live in their own table (``practice_note_tag``: one row per note and tag, stored normalised — NFKC, lower case,
single spaces) rather than a text column, because "notes with this tag" and "people following this tag" are indexed
look-ups in both directions and a tag can never be half-matched inside another.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.common.markdown import clean_html
from portal.db import Choice, EnumText, utcnow
from portal.extensions import db
from portal.org.models import Unit

TITLE_MAX = 120
SUMMARY_MAX = 200
BODY_MAX = 20_000
PROMPT_MAX = 2_000
TAG_MAX = 40
TAGS_MAX = 8
TAGS_TEXT_MAX = 400
COMMENT_MAX = 1_000
REASON_MAX = 1_000


class NoteState(Choice):
    DRAFT = "draft", _l("Draft")
    PENDING = "pending", _l("Waiting for a champion")
    CHANGES_REQUESTED = "changes_requested", _l("Changes requested")
    PUBLISHED = "published", _l("Published")
    HIDDEN = "hidden", _l("Hidden")
    SUPERSEDED = "superseded", _l("Superseded")
    ARCHIVED = "archived", _l("Archived")
    REJECTED = "rejected", _l("Not published")


# What everyone signed in may read (superseded and archived notes stay readable, with a banner, for old links).
READABLE_STATES = (NoteState.PUBLISHED, NoteState.SUPERSEDED, NoteState.ARCHIVED)


class FlagReason(Choice):
    INACCURATE = "inaccurate", _l("It is wrong or misleading")
    OUT_OF_DATE = "out_of_date", _l("It is out of date")
    PERSONAL_DATA = "personal_data", _l("It contains personal data about a patient or customer")
    OTHER = "other", _l("Something else")


class FlagOutcome(Choice):
    KEPT = "kept"  # a champion looked and kept the note (or comment) up
    HIDDEN = "hidden"  # a champion hid it
    ARCHIVED = "archived"
    SUPERSEDED = "superseded"


class Answer(Choice):
    WAITING = "waiting", _l("Not answered yet")
    YES = "yes", _l("Yes")
    NO = "no", _l("No")


class ProposalState(Choice):
    ASKING = "asking", _l("Asking the people involved")
    DRAFTED = "drafted", _l("Turned into a draft note")
    DECLINED = "declined", _l("Someone said no")


# Notes a champion must look at because of flags: hidden by flags and not yet decided, or published with open flags.
FLAGGED = "(state = 'hidden' AND decision_reason IS NULL) OR (state = 'published' AND open_flag_count > 0)"


class Note(db.Model):
    __tablename__ = "practice_note"
    __table_args__ = (
        # The published list, newest first, and the moderators' queue by state.
        Index("ix_practice_note_state_published", "state", "published_at", "id"),
        Index("ix_practice_note_author_updated", "author_id", "updated_at"),
        Index("ix_practice_note_state_review_due", "state", "review_due_at"),
        Index("ix_practice_note_state_submitted", "state", "submitted_at", "id"),  # the queue: oldest waiting first
        # The queue's flagged notes: a few hundred among many thousands (flagged_statement's condition, verbatim).
        Index("ix_practice_note_flagged", "decided_at", "id", sqlite_where=text(FLAGGED),
              postgresql_where=text(FLAGGED)),
        CheckConstraint("version > 0", name="positive_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)  # the unit the practice comes from
    state: Mapped[NoteState] = mapped_column(EnumText(NoteState, 20), default=NoteState.DRAFT)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX))
    body_source: Mapped[str] = mapped_column(String(BODY_MAX))
    body_html: Mapped[str] = mapped_column(Text)  # body_source as Markdown, cleaned by nh3
    situation: Mapped[str] = mapped_column(String(PROMPT_MAX), default="")
    what_we_did: Mapped[str] = mapped_column(String(PROMPT_MAX), default="")
    what_changed: Mapped[str] = mapped_column(String(PROMPT_MAX), default="")
    tips: Mapped[str] = mapped_column(String(PROMPT_MAX), default="")
    # Every save adds one: an edit-and-approve names the version the champion read, so a later save is not lost.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The personal-data guard's findings in the latest words ([{"field", "kind", "text"}]); a champion clears them.
    personal_data: Mapped[list[Any]] = mapped_column(JSON, default=list)
    personal_data_cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    personal_data_cleared_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    review_due_at: Mapped[datetime | None]
    review_reminded_at: Mapped[datetime | None]
    # The last moderation decision: who, when and why (a second champion is told who got there first).
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("practice_note.id"))
    useful_count: Mapped[int] = mapped_column(Integer, default=0)
    open_flag_count: Mapped[int] = mapped_column(Integer, default=0)
    from_post_id: Mapped[int | None] = mapped_column(ForeignKey("recognition_post.id"), unique=True)
    # The editor's key: the same "new note" form sent twice (a double click, a second tab) makes one note.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined", innerjoin=True)
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    personal_data_cleared_by: Mapped[User | None] = relationship(foreign_keys=[personal_data_cleared_by_id])
    superseded_by: Mapped[Note | None] = relationship(remote_side=[id])
    tag_rows: Mapped[list[NoteTag]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                   order_by="NoteTag.tag")

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]

    @property
    def body(self) -> Markup:
        """The stored HTML, cleaned again on the way out (cheap, and safe against rows from an older allow-list)."""
        return Markup(clean_html(self.body_html))  # noqa: S704 — cleaned by nh3 just here

    @property
    def prompts(self) -> list[tuple[str, str]]:
        """(question, answer) for the structured prompts that were answered."""
        asked = [(_l("The situation"), self.situation), (_l("What we did"), self.what_we_did),
                 (_l("What changed"), self.what_changed), (_l("Tips for others"), self.tips)]
        return [(question, answer) for question, answer in asked if answer]

    @property
    def has_live_personal_data_flag(self) -> bool:
        return bool(self.personal_data) and self.personal_data_cleared_at is None

    @property
    def is_readable_by_all(self) -> bool:
        return self.state in READABLE_STATES


class NoteTag(db.Model):
    __tablename__ = "practice_note_tag"

    note_id: Mapped[int] = mapped_column(ForeignKey("practice_note.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(TAG_MAX), primary_key=True, index=True)


class Revision(db.Model):
    """The words of a note as one save left them. ``was_published`` marks the versions readers saw."""

    __tablename__ = "practice_revision"
    __table_args__ = (UniqueConstraint("note_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("practice_note.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    editor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(String(SUMMARY_MAX))
    body_source: Mapped[str] = mapped_column(String(BODY_MAX))
    situation: Mapped[str] = mapped_column(String(PROMPT_MAX), default="")
    what_we_did: Mapped[str] = mapped_column(String(PROMPT_MAX), default="")
    what_changed: Mapped[str] = mapped_column(String(PROMPT_MAX), default="")
    tips: Mapped[str] = mapped_column(String(PROMPT_MAX), default="")
    tags_text: Mapped[str] = mapped_column(String(TAGS_TEXT_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    was_published: Mapped[bool] = mapped_column(default=False)

    editor: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Useful(db.Model):
    """One person finding one note useful: the primary key makes it one each, whatever the race."""

    __tablename__ = "practice_useful"

    note_id: Mapped[int] = mapped_column(ForeignKey("practice_note.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PracticeComment(db.Model):
    __tablename__ = "practice_comment"
    __table_args__ = (Index("ix_practice_comment_note_created", "note_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("practice_note.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    body: Mapped[str] = mapped_column(String(COMMENT_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    hidden_reason: Mapped[str | None] = mapped_column(String(REASON_MAX))
    open_report_count: Mapped[int] = mapped_column(Integer, default=0)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    note: Mapped[Note] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined", innerjoin=True)
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])


class NoteFlag(db.Model):
    """Someone telling the champions a published note is wrong, out of date or holds personal data.

    One open flag per person and note (a partial unique index): a double click cannot count twice towards hiding.
    """

    __tablename__ = "practice_flag"
    __table_args__ = (
        Index("ix_practice_flag_open_once", "note_id", "reporter_id", unique=True,
              sqlite_where=text("resolved_at IS NULL"), postgresql_where=text("resolved_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("practice_note.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reason: Mapped[FlagReason] = mapped_column(EnumText(FlagReason, 20))
    detail: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[FlagOutcome | None] = mapped_column(EnumText(FlagOutcome, 20))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined", innerjoin=True)


class CommentReport(db.Model):
    __tablename__ = "practice_comment_report"
    __table_args__ = (
        Index("ix_practice_comment_report_open_once", "comment_id", "reporter_id", unique=True,
              sqlite_where=text("resolved_at IS NULL"), postgresql_where=text("resolved_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("practice_comment.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[FlagOutcome | None] = mapped_column(EnumText(FlagOutcome, 20))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="joined", innerjoin=True)


class Feature(db.Model):
    """A champion putting a note on the home page of everyone in a unit subtree until a date."""

    __tablename__ = "practice_feature"
    __table_args__ = (Index("ix_practice_feature_unit_until", "unit_id", "until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("practice_note.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    until: Mapped[datetime]  # the end of the chosen day, London time
    featured_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    note: Mapped[Note] = relationship()


class Follow(db.Model):
    """A person following a tag, or a unit (and everything beneath it), for the weekly digest."""

    __tablename__ = "practice_follow"
    __table_args__ = (
        UniqueConstraint("user_id", "tag"),
        UniqueConstraint("user_id", "unit_id"),
        CheckConstraint("(tag IS NULL) <> (unit_id IS NULL)", name="tag_or_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    tag: Mapped[str | None] = mapped_column(String(TAG_MAX), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()


class ThanksProposal(db.Model):
    """A champion asking to turn a thank-you's "What can we learn?" into a draft note. One per thank-you."""

    __tablename__ = "practice_thanks_proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("recognition_post.id"), unique=True)
    champion_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    state: Mapped[ProposalState] = mapped_column(EnumText(ProposalState, 20), default=ProposalState.ASKING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    note_id: Mapped[int | None] = mapped_column(ForeignKey("practice_note.id"))

    champion: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    answers: Mapped[list[ProposalAnswer]] = relationship(back_populates="proposal", lazy="selectin",
                                                         cascade="all, delete-orphan", order_by="ProposalAnswer.id")


class ProposalAnswer(db.Model):
    """One person asked (the thank-you's author, or someone it thanked) and what they said."""

    __tablename__ = "practice_proposal_answer"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("practice_thanks_proposal.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    answer: Mapped[Answer] = mapped_column(EnumText(Answer, 10), default=Answer.WAITING)
    answered_at: Mapped[datetime | None]

    proposal: Mapped[ThanksProposal] = relationship(back_populates="answers")
    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
