"""In-app notifications, the email outbox, preferences, and jobs that run later.

The outbox and the job table are written in the same database transaction as the business change that caused
them (a transactional outbox): if the change rolls back, nobody is told; if it commits, nothing is lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Choice, EnumText, utcnow
from portal.extensions import db


class Channel(Choice):
    EMAIL = "email", _l("Email straight away")
    DIGEST = "digest", _l("In my daily summary email")  # one email a day at the person's chosen time
    IN_APP = "in_app", _l("Only in Frontline")


class EmailStatus(Choice):
    PENDING = "pending", _l("Waiting to send")
    SENDING = "sending", _l("Sending")  # claimed by a worker; reclaimable once its lease has run out
    SENT = "sent", _l("Sent")
    DEAD = "dead", _l("Could not send")  # gave up after MAX_ATTEMPTS; an administrator can retry it


class JobStatus(Choice):
    PENDING = "pending", _l("Waiting to run")
    RUNNING = "running", _l("Running")
    DONE = "done", _l("Done")
    CANCELLED = "cancelled", _l("Cancelled")
    DEAD = "dead", _l("Failed")


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_recipient_unread", "recipient_id", "read_at"),
        Index("ix_notification_recipient_created", "recipient_id", "created_at", "id"),
        Index("ix_notification_digest_due", "digest_pending", "recipient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    # Never confidential: it appears in emails and digests. Says that something needs attention, not what was said.
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="/")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    digest_pending: Mapped[bool] = mapped_column(default=False)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(db.Model):
    """One row per person and kind they have changed from the default."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), primary_key=True)
    channel: Mapped[Channel] = mapped_column(EnumText(Channel, 10))


class DigestSettings(db.Model):
    __tablename__ = "digest_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    # Hour of the day, Europe/London, when the daily digest goes out (shift workers choose their own).
    hour: Mapped[int] = mapped_column(default=8)


class OutboundEmail(db.Model):
    __tablename__ = "outbound_email"
    __table_args__ = (Index("ix_outbound_email_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Set once, kept across retries: a re-send after a crash carries the same Message-ID, so mail systems and
    # people can recognise the duplicate.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    status: Mapped[EmailStatus] = mapped_column(EnumText(EmailStatus, 10), default=EmailStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_token: Mapped[str | None] = mapped_column(String(40), index=True)
    lease_expires_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]

    attachments: Mapped[list[EmailAttachment]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EmailAttachment.id"
    )


class EmailAttachment(db.Model):
    __tablename__ = "email_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("outbound_email.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))  # e.g. "text/calendar; method=REQUEST"
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Job(db.Model):
    """Work that runs later: reminders, escalations, lapses, digests."""

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_due", "status", "run_at"),
        UniqueConstraint("dedupe_key"),
        # A periodic job runs once per period, however many workers schedule it (portal/notifications/schedule.py).
        UniqueConstraint("kind", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    run_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Scheduling the same thing twice (two requests, two workers) makes one job, not two.
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    # For periodic work, the London day ("2026-11-29") or month ("2026-11") this run covers.
    period: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[JobStatus] = mapped_column(EnumText(JobStatus, 10), default=JobStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    lease_token: Mapped[str | None] = mapped_column(String(40), index=True)
    lease_expires_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class JobSchedule(db.Model):
    """One row per periodic job: the latest period already scheduled, so a worker after downtime knows what it
    missed. Created by the worker for each periodic job the features declare; never by a person."""

    __tablename__ = "job_schedule"

    kind: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_period: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
