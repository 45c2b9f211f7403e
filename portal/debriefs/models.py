"""De-brief requests after a difficult contact, the duty rota, and HR's settings.

Confidential columns (``kind``, ``note``, ``contact_detail``, ``session_note``) are for the requester and the
supporter who claimed the request only; the retention job blanks them and stamps ``content_erased_at``.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import Choice, EnumText, utcnow
from portal.extensions import db
from portal.org.models import Unit


class DebriefState(Choice):
    OPEN = "open", _l("Waiting for a supporter")
    CLAIMED = "claimed", _l("Picked up")
    HELD = "held", _l("De-brief held")
    FOLLOW_UPS = "follow_ups", _l("Follow-ups")
    CLOSED = "closed", _l("Closed")


class DebriefKind(Choice):
    SUICIDE_OR_SELF_HARM = "suicide_or_self_harm", _l("Threat of suicide or self-harm")
    ABUSE_OR_THREAT = "abuse_or_threat", _l("Abuse or a threat")
    BEREAVEMENT = "bereavement", _l("Bereavement")
    OTHER = "other", _l("Something else")


class Urgency(Choice):
    THIS_SHIFT = "this_shift", _l("Before the end of this shift")
    WITHIN_72_HOURS = "within_72_hours", _l("Within 72 hours")
    THIS_WEEK = "this_week", _l("Some time this week")


class ContactMethod(Choice):
    PHONE = "phone", _l("Phone")
    TEAMS = "teams", _l("Teams")
    IN_PERSON = "in_person", _l("In person")


class RecipientReason(Choice):
    DUTY = "duty"  # on duty for the routed unit
    ESCALATION = "escalation"  # on duty one level further up
    LEAD = "lead"  # the requester's unit lead, told on escalation
    FALLBACK = "fallback"  # HR's named contact: nobody else was found


class DebriefRequest(db.Model):
    __tablename__ = "debrief_request"
    __table_args__ = (
        Index("ix_debrief_request_state_created", "state", "created_at"),
        Index("ix_debrief_request_requester_created", "requester_id", "created_at"),
        Index("ix_debrief_request_claimed_by_state", "claimed_by_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    routed_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    state: Mapped[DebriefState] = mapped_column(EnumText(DebriefState, 20), default=DebriefState.OPEN)
    urgency: Mapped[Urgency] = mapped_column(EnumText(Urgency, 20))
    contact_method: Mapped[ContactMethod] = mapped_column(EnumText(ContactMethod, 20))
    # Confidential: the requester and the claiming supporter only.
    kind: Mapped[DebriefKind | None] = mapped_column(EnumText(DebriefKind, 30))
    note: Mapped[str | None] = mapped_column(Text)
    contact_detail: Mapped[str | None] = mapped_column(String(200))
    session_note: Mapped[str | None] = mapped_column(Text)
    # Not confidential: when, by whom, and how far it travelled.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    respond_by: Mapped[datetime]
    escalation_level: Mapped[int] = mapped_column(default=0)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    claimed_at: Mapped[datetime | None]
    held_at: Mapped[datetime | None]
    check_in_count: Mapped[int] = mapped_column(default=0)
    last_check_in_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    content_erased_at: Mapped[datetime | None]
    # From the form: a double-submitted form creates one request.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    recipients: Mapped[list[DebriefRecipient]] = relationship(back_populates="request", lazy="selectin",
                                                              cascade="all, delete-orphan")

    def is_recipient(self, user: User) -> bool:
        return any(r.user_id == user.id for r in self.recipients)


class DebriefRecipient(db.Model):
    """Who was told about a request (and so may claim it, if they are a supporter)."""

    __tablename__ = "debrief_recipient"
    __table_args__ = (UniqueConstraint("request_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("debrief_request.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    reason: Mapped[RecipientReason] = mapped_column(EnumText(RecipientReason, 20))
    notified_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[DebriefRequest] = relationship(back_populates="recipients")


class DutySupporter(db.Model):
    """A supporter on the de-brief rota for a unit (and, through it, for every unit beneath without its own)."""

    __tablename__ = "debrief_duty"
    __table_args__ = (UniqueConstraint("unit_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)


class UnitLead(db.Model):
    __tablename__ = "debrief_unit_lead"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)


class DebriefSettings(db.Model):
    """One row (id 1), edited by HR: the signposting text, who gets requests nobody else can, and the clocks."""

    __tablename__ = "debrief_settings"
    __table_args__ = (
        CheckConstraint("claim_minutes_this_shift > 0 AND claim_minutes_72_hours > 0 "
                        "AND claim_minutes_this_week > 0", name="positive_windows"),
        CheckConstraint("retention_days > 0", name="positive_retention"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    signposting: Mapped[str] = mapped_column(Text, default="")
    fallback_contact_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    claim_minutes_this_shift: Mapped[int] = mapped_column(default=60)
    claim_minutes_72_hours: Mapped[int] = mapped_column(default=8 * 60)
    claim_minutes_this_week: Mapped[int] = mapped_column(default=24 * 60)
    retention_days: Mapped[int] = mapped_column(default=365)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    fallback_contact: Mapped[User | None] = relationship()

    def claim_minutes(self, urgency: Urgency) -> int:
        return {
            Urgency.THIS_SHIFT: self.claim_minutes_this_shift,
            Urgency.WITHIN_72_HOURS: self.claim_minutes_72_hours,
            Urgency.THIS_WEEK: self.claim_minutes_this_week,
        }[urgency]
