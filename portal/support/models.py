"""Peer support: supporters, their availability, sessions, bookings, waitlists and calendar feeds.

Open slots are never stored: they are computed from the availability rules minus the sessions already taken
(``portal.support.slots``). A ``SupportSession`` is one occupied stretch of a supporter's time (a 1:1 with capacity
1, or a group session with capacity N); every booking points at one. On PostgreSQL an exclusion constraint
(btree_gist, created in migration 0004) forbids two active sessions of one supporter from overlapping, and group
capacity is taken with a conditional UPDATE, so no amount of concurrency can double-book a supporter.

Confidential (the booker and the supporter only, every read audited): ``Booking.reason``,
``Booking.cancel_reason``, ``Booking.reflections``, ``Booking.session_notes``.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import Choice, EnumText, utcnow
from portal.extensions import db


class SupportKind(Choice):
    MENTORING = "mentoring", _l("Mentoring")
    CLINICAL = "clinical_supervision", _l("1:1 clinical supervision")
    GROUP = "group_supervision", _l("Group supervision")
    RESTORATIVE = "restorative_supervision", _l("Restorative supervision")
    DEBRIEF = "debrief", _l("De-brief")

    @property
    def hint(self) -> str:
        """One sentence under the kind's name where people choose what to book."""
        return str(KIND_HINTS[self])


KIND_HINTS = {
    SupportKind.MENTORING: _l("Time with a more experienced colleague to talk through your work and your next steps."),
    SupportKind.CLINICAL: _l("A regular, private space to reflect on difficult cases with a trained supervisor."),
    SupportKind.GROUP: _l("Reflect on cases together with a small group of colleagues and a supervisor."),
    SupportKind.RESTORATIVE: _l("Time to look after yourself after a hard stretch, with a restorative supervisor."),
    SupportKind.DEBRIEF: _l("Talk through a challenging contact with someone trained to listen."),
}


# De-briefs are asked for through "I've had a difficult contact" (portal.debriefs), which finds whoever is on duty;
# mentoring starts with asking a mentor (portal.mentoring), and its sessions are then booked with that mentor. So
# the booking pages offer these kinds only as links to those routes (and mentoring with one's own mentor).
BOOKABLE_KINDS = (SupportKind.CLINICAL, SupportKind.GROUP, SupportKind.RESTORATIVE)
ROUTED_KINDS = (SupportKind.MENTORING, SupportKind.DEBRIEF)


class MeetingMode(Choice):
    ROOM = "room", _l("In a room")
    PHONE = "phone", _l("By phone")
    VIDEO = "video", _l("By video call")


class Region(Choice):
    """The bank holidays a unit keeps (the ``holidays`` package's subdivisions of the United Kingdom)."""

    ENGLAND_AND_WALES = "ENG", _l("England and Wales")
    SCOTLAND = "SCT", _l("Scotland")
    NORTHERN_IRELAND = "NIR", _l("Northern Ireland")


DEFAULT_REGION = Region.ENGLAND_AND_WALES


class BookingStatus(Choice):
    OFFERED = "offered", _l("Place offered")  # a freed group place held for the first person on the waitlist
    REQUESTED = "requested", _l("Waiting for the supporter to confirm")
    CONFIRMED = "confirmed", _l("Confirmed")
    ATTENDED = "attended", _l("Attended")
    NO_SHOW = "no_show", _l("Did not attend")
    CANCELLED = "cancelled", _l("Cancelled")
    MOVED = "moved", _l("Moved")  # rescheduled: the booking it moved to carries on

    @property
    def colour(self) -> str:
        """The colour of the status tag."""
        return STATUS_COLOURS[self]


STATUS_COLOURS = {
    BookingStatus.OFFERED: "yellow", BookingStatus.REQUESTED: "yellow", BookingStatus.CONFIRMED: "green",
    BookingStatus.ATTENDED: "blue", BookingStatus.NO_SHOW: "grey", BookingStatus.CANCELLED: "red",
    BookingStatus.MOVED: "grey",
}
# Bookings that hold a place in their session.
HOLDING_STATUSES = (BookingStatus.OFFERED, BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
# The states in which each of its two people may write their private words about a session.
REFLECTION_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.ATTENDED)
SESSION_NOTE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


class SupporterProfile(db.Model):
    __tablename__ = "supporter_profile"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    about: Mapped[str] = mapped_column(Text, default="")
    experience: Mapped[str] = mapped_column(Text, default="")
    meeting_modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    room: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    video_link: Mapped[str] = mapped_column(String(500), default="")
    mentee_capacity: Mapped[int] = mapped_column(default=3)
    needs_confirmation: Mapped[bool] = mapped_column(default=False)
    slot_minutes: Mapped[int] = mapped_column(default=50)
    buffer_minutes: Mapped[int] = mapped_column(default=10)
    min_notice_hours: Mapped[int] = mapped_column(default=12)
    horizon_days: Mapped[int] = mapped_column(default=28)
    is_accepting: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @classmethod
    def unsaved(cls, user: User) -> SupporterProfile:
        """The columns' defaults for ``user``, not added to the session: what a supporter who has never saved a
        profile sees (reading a page creates no row)."""
        defaults = {column.key: column.default.arg if column.default.is_scalar else column.default.arg(None)
                    for column in cls.__table__.columns if column.default is not None}
        return cls(**defaults, user_id=user.id)


class WeeklyHours(db.Model):
    """Recurring hours in Europe/London wall-clock time: "Tuesdays 09:00–12:00" stays 09:00 across clock changes."""

    __tablename__ = "support_weekly_hours"
    __table_args__ = (CheckConstraint("end_time > start_time", name="ends_after_start"),
                      CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
                      CheckConstraint("capacity >= 1", name="capacity_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SupportKind] = mapped_column(EnumText(SupportKind, 40))
    weekday: Mapped[int]  # 0 = Monday
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    capacity: Mapped[int] = mapped_column(default=1)


class OneOffSession(db.Model):
    """A single session outside the weekly hours (stored in UTC)."""

    __tablename__ = "support_one_off"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),
                      CheckConstraint("capacity >= 1", name="capacity_positive"),
                      Index("ix_support_one_off_supporter_starts", "supporter_id", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[SupportKind] = mapped_column(EnumText(SupportKind, 40))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(default=1)


class AvailabilityException(db.Model):
    """Whole days off the weekly hours (leave, training), inclusive."""

    __tablename__ = "support_exception"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="last_after_first"),
                      Index("ix_support_exception_supporter_days", "supporter_id", "first_day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(80), default="")


class SupportSession(db.Model):
    """One occupied stretch of a supporter's time. Active sessions never overlap (exclusion constraint on
    PostgreSQL, serialized overlap check on SQLite); ``booked_count`` never exceeds ``capacity``."""

    __tablename__ = "support_session"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("booked_count >= 0 AND booked_count <= capacity", name="within_capacity"),
        Index("ix_support_session_supporter_active", "supporter_id", "is_active", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[SupportKind] = mapped_column(EnumText(SupportKind, 40))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int] = mapped_column(default=1)
    booked_count: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    supporter: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_group(self) -> bool:
        return self.capacity > 1

    @property
    def places_left(self) -> int:
        return self.capacity - self.booked_count


class Booking(db.Model):
    __tablename__ = "support_booking"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        UniqueConstraint("rescheduled_from_id"),
        Index("ix_support_booking_booker_starts", "booker_id", "starts_at"),
        Index("ix_support_booking_supporter_status_starts", "supporter_id", "status", "starts_at"),
        Index("ix_support_booking_session", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("support_session.id"))
    supporter_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    booker_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[SupportKind] = mapped_column(EnumText(SupportKind, 40))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[BookingStatus] = mapped_column(EnumText(BookingStatus, 12))
    # A double click (or a retried request) sends the same key: the unique constraint makes it one booking.
    idempotency_key: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")  # confidential
    # How the two of them meet, chosen when booking where the supporter offers several (None: not chosen).
    meeting_mode: Mapped[str | None] = mapped_column(String(10))
    cancel_reason: Mapped[str] = mapped_column(Text, default="")  # confidential
    reflections: Mapped[str] = mapped_column(Text, default="")  # confidential: the booker's own
    session_notes: Mapped[str] = mapped_column(Text, default="")  # confidential: the supporter's record
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    rescheduled_from_id: Mapped[int | None] = mapped_column(ForeignKey("support_booking.id"))
    # RFC 5545: one UID for the booking's whole life (a reschedule inherits it), SEQUENCE up on every change.
    calendar_uid: Mapped[str] = mapped_column(String(120), index=True)
    sequence: Mapped[int] = mapped_column(default=0)
    hold_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[SupportSession] = relationship()
    supporter: Mapped[User] = relationship(foreign_keys=[supporter_id], lazy="joined", innerjoin=True)
    booker: Mapped[User] = relationship(foreign_keys=[booker_id], lazy="joined", innerjoin=True)
    supporter_profile: Mapped[SupporterProfile | None] = relationship(
        primaryjoin="foreign(Booking.supporter_id) == SupporterProfile.user_id", viewonly=True)
    rescheduled_from: Mapped[Booking | None] = relationship(remote_side=[id], foreign_keys=[rescheduled_from_id],
                                                            back_populates="rescheduled_to")
    rescheduled_to: Mapped[Booking | None] = relationship(foreign_keys=[rescheduled_from_id],
                                                          back_populates="rescheduled_from")

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def mode(self) -> MeetingMode | None:
        return MeetingMode(self.meeting_mode) if self.meeting_mode in {m.value for m in MeetingMode} else None


class WaitlistEntry(db.Model):
    __tablename__ = "support_waitlist"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),
                      Index("ix_support_waitlist_session_created", "session_id", "created_at", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("support_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class CalendarFeed(db.Model):
    """A personal calendar feed. Only a hash of the secret token is kept; making a new link revokes the old."""

    __tablename__ = "support_calendar_feed"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnitRegion(db.Model):
    """Which bank holidays a unit keeps. Units without a row inherit their nearest ancestor's region (England and
    Wales when none is set), so setting it on a top-level unit covers everything beneath it."""

    __tablename__ = "support_unit_region"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    region: Mapped[Region] = mapped_column(EnumText(Region, 3))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
