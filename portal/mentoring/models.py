"""Mentoring: a mentee asks a mentor; the mentor accepts or declines (or the request lapses); an agreement; an end.

Mentors are supporters whose supporter profile (portal.support) offers mentoring; their capacity is the profile's
``mentee_capacity``. ``MentorLoad`` counts each mentor's current mentees, and the only way to add one is a
conditional UPDATE that cannot pass the capacity (and a CHECK that keeps it from going below zero).

Confidential columns (``goals``, ``agreement_*``, ``first_check_note``): the mentee and the mentor only.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import Choice, EnumText, utcnow
from portal.extensions import db


class MentoringState(Choice):
    REQUESTED = "requested", _l("Waiting for the mentor")
    ACCEPTED = "accepted", _l("Accepted: agree how you will work")
    DECLINED = "declined", _l("Declined")
    LAPSED = "lapsed", _l("No answer in time")
    ACTIVE = "active", _l("Active")
    ENDED = "ended", _l("Ended")


OPEN_STATES = (MentoringState.REQUESTED, MentoringState.ACCEPTED, MentoringState.ACTIVE)
HOLDING_STATES = (MentoringState.ACCEPTED, MentoringState.ACTIVE)  # these take one of the mentor's places
UNANSWERED_STATES = (MentoringState.DECLINED, MentoringState.LAPSED)  # the mentee may want to ask someone else
OPEN_PAIR_WHERE = "state IN (" + ", ".join(f"'{state.value}'" for state in OPEN_STATES) + ")"


class EndReason(Choice):
    GOALS_MET = "goals_met", _l("The goals were met")
    NOT_A_GOOD_FIT = "not_a_good_fit", _l("It was not a good fit")
    NO_TIME = "no_time", _l("Not enough time at the moment")
    OTHER = "other", _l("Another reason")


class MentorLoad(db.Model):
    __tablename__ = "mentor_load"
    __table_args__ = (CheckConstraint("active_mentees >= 0", name="not_negative"),)

    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    active_mentees: Mapped[int] = mapped_column(default=0)


class Mentoring(db.Model):
    __tablename__ = "mentoring"
    __table_args__ = (
        Index("ix_mentoring_mentor_state", "mentor_id", "state"),
        Index("ix_mentoring_mentee_created", "mentee_id", "created_at"),
        Index("ix_mentoring_created_at", "created_at"),
        # One open request or agreement per mentee and mentor, whatever the timing (two tabs, a double click).
        Index("uq_mentoring_open_pair", "mentee_id", "mentor_id", unique=True,
              postgresql_where=text(OPEN_PAIR_WHERE), sqlite_where=text(OPEN_PAIR_WHERE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    state: Mapped[MentoringState] = mapped_column(EnumText(MentoringState, 20), default=MentoringState.REQUESTED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    respond_by: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    # Confidential: the mentee and the mentor only.
    goals: Mapped[str | None] = mapped_column(Text)
    agreement_goals: Mapped[str | None] = mapped_column(Text)
    agreement_frequency: Mapped[str | None] = mapped_column(String(120))
    agreement_length: Mapped[str | None] = mapped_column(String(120))
    first_check_note: Mapped[str | None] = mapped_column(Text)
    agreed_at: Mapped[datetime | None]
    first_check_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[EndReason | None] = mapped_column(EnumText(EndReason, 20))
    content_erased_at: Mapped[datetime | None]
    # The "Ask to mentor you" form's key: the same form sent twice makes one request, even after it was answered.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id])
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
