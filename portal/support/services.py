"""Booking support: take a place race-free, confirm, cancel, reschedule, waitlist offers, attendance.

Every function is keyword-only, takes the acting person as a parameter, flushes and never commits. Places are
taken in the database: a new session row is guarded by the PostgreSQL exclusion constraint (no two active sessions
of one supporter overlap) and a group place by a conditional UPDATE (``booked_count < capacity``). On SQLite run
the call inside ``booking_transaction()`` (BEGIN IMMEDIATE: one writer at a time), where the overlap check in
Python is exact.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.common.workflow import move_state
from portal.db import serialized_writes, utcnow
from portal.debriefs.services import current_settings as peer_support_settings
from portal.extensions import db
from portal.notifications.jobs import cancel_jobs, daily_job, job_handler, schedule_job
from portal.notifications.kinds import register_kind
from portal.notifications.services import Attachment, notify
from portal.support.calendar import cancel_ics, invite_ics
from portal.support.models import (
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    SupporterProfile,
    SupportSession,
    WaitlistEntry,
)
from portal.support.queries import future_booking_count, offered_slot
from portal.support.slots import Slot

GROUP = _l("Peer support")
register_kind("support.booking", _l("When a support session is booked, changed or cancelled"), group=GROUP)
register_kind("support.reminder", _l("Reminders before your support sessions"), group=GROUP)
register_kind("support.offer", _l("When a place comes up in a session you are waiting for"), group=GROUP)

REMINDER_JOB = "support.reminder"
HOLD_EXPIRY_JOB = "support.hold_expiry"


class SlotTaken(Conflict):
    """Someone else got the time first (or it is no longer offered)."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This time was just taken — here are the next available."))


@contextmanager
def booking_transaction() -> Iterator[None]:
    """Start a fresh transaction that, on SQLite, holds the write lock from its first statement.

    The request's earlier reads (the signed-in person) ran in a plain transaction; ending it first (with nothing
    pending: call this before changing anything) means the booking starts with BEGIN IMMEDIATE, so the overlap
    check and the insert happen under the one write lock. PostgreSQL relies on its constraints and row locks.
    """
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("booking_transaction() must start before anything is changed in this transaction")
    db.session.commit()
    with serialized_writes():
        yield


def _bookings_url(booking: Booking) -> str:
    return f"/support/bookings/{booking.id}"


def _booking_by_key(key: str) -> Booking | None:
    return db.session.scalar(select(Booking).where(Booking.idempotency_key == key))


def _overlapping_session(slot: Slot) -> SupportSession | None:
    return db.session.scalar(select(SupportSession).where(
        SupportSession.supporter_id == slot.supporter_id, SupportSession.is_active,
        SupportSession.starts_at < slot.ends_at, SupportSession.ends_at > slot.starts_at).limit(1))


def _take_place(slot: Slot) -> SupportSession:
    """Take one place in the slot's session (creating it), or raise SlotTaken. Guarded in the database."""
    session = _overlapping_session(slot)
    if session is None:
        session = SupportSession(supporter_id=slot.supporter_id, kind=slot.kind, starts_at=slot.starts_at,
                                 ends_at=slot.ends_at, capacity=slot.capacity, booked_count=1)
        db.session.add(session)
        db.session.flush()  # PostgreSQL: the exclusion constraint refuses an overlapping active session here
        return session
    if not (session.is_group and session.kind == slot.kind and session.starts_at == slot.starts_at
            and session.ends_at == slot.ends_at):
        raise SlotTaken()
    taken = db.session.execute(
        update(SupportSession)
        .where(SupportSession.id == session.id, SupportSession.is_active,
               SupportSession.booked_count < SupportSession.capacity)
        .values(booked_count=SupportSession.booked_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise SlotTaken()
    db.session.expire(session)
    return session


def _check_limit(booker: User, now: datetime) -> None:
    limit = current_app.config.get("SUPPORT_MAX_FUTURE_BOOKINGS", 4)
    if future_booking_count(user=booker, now=now) >= limit:
        raise DomainError(_("You already have %(limit)s sessions booked. Cancel one, or wait until one has "
                            "happened, to book another.", limit=limit))


def book_slot(*, booker: User, supporter_id: int, kind: str, starts_at: datetime, idempotency_key: str,
              reason: str = "", now: datetime | None = None, rescheduled_from: Booking | None = None) -> Booking:
    """Book one place in the slot the supporter's availability offers at ``starts_at``.

    Safe under any concurrency: exactly one person gets a 1:1 time or the last group place; the rest get
    ``SlotTaken``. The same ``idempotency_key`` again (a double click) returns the first booking. Raises
    ``DomainError`` for the per-person limit or booking oneself. Run it inside ``booking_transaction()``.
    """
    now = now or utcnow()
    existing = _booking_by_key(idempotency_key)
    if existing is not None:
        if existing.booker_id != booker.id:
            raise Conflict(_("This form was already used. Please start again."))
        return existing
    if supporter_id == booker.id:
        raise DomainError(_("You cannot book a session with yourself."))
    slot = offered_slot(supporter_id=supporter_id, kind=kind, starts_at=starts_at, now=now)
    if slot is None:
        raise SlotTaken(_("That time is no longer offered — here are the next available."))
    if rescheduled_from is None:
        _check_limit(booker, now)
    profile = db.session.get(SupporterProfile, supporter_id)
    status = BookingStatus.REQUESTED if profile.needs_confirmation else BookingStatus.CONFIRMED
    try:
        with db.session.begin_nested():
            session = _take_place(slot)
            booking = Booking(
                session_id=session.id, supporter_id=supporter_id, booker_id=booker.id, kind=kind,
                starts_at=slot.starts_at, ends_at=slot.ends_at, status=status, idempotency_key=idempotency_key,
                reason=reason.strip(), rescheduled_from_id=rescheduled_from.id if rescheduled_from else None,
                calendar_uid=rescheduled_from.calendar_uid if rescheduled_from else _new_uid(),
                sequence=rescheduled_from.sequence + 1 if rescheduled_from else 0)
            db.session.add(booking)
            db.session.flush()
    except (IntegrityError, SlotTaken) as error:
        first = _booking_by_key(idempotency_key)  # a double submit that lost the race to its twin
        if first is not None and first.booker_id == booker.id:
            return first
        raise SlotTaken() from error
    record_event("support.booking_created", actor=booker, target=booking, supporter_id=supporter_id, kind=kind,
                 rescheduled_from=rescheduled_from.id if rescheduled_from else None)
    _schedule_reminder(booking, now)
    _tell_both(booking, now=now, subject=_l("Support session booked") if rescheduled_from is None
               else _l("Support session moved"))
    return booking


def _new_uid() -> str:
    return f"support-{uuid.uuid4().hex}@{current_app.config['MAIL_MESSAGE_ID_DOMAIN']}"


def _invite(booking: Booking, now: datetime) -> list[Attachment]:
    return [Attachment("invite.ics", "text/calendar; method=REQUEST", invite_ics(booking, now=now))]


def _tell_both(booking: Booking, *, now: datetime, subject) -> None:
    body = _l("Open Frontline to see the details. The calendar invite is attached.")
    for person in (booking.booker, booking.supporter):
        notify(recipient=person, kind="support.booking", subject=subject, body=body, url=_bookings_url(booking),
               attachments=_invite(booking, now))


def _schedule_reminder(booking: Booking, now: datetime) -> None:
    hours = current_app.config.get("SUPPORT_REMINDER_HOURS", 24)
    run_at = max(booking.starts_at - timedelta(hours=hours), now)
    if run_at < booking.starts_at:
        schedule_job(kind=REMINDER_JOB, run_at=run_at, payload={"booking_id": booking.id},
                     dedupe_key=f"booking:{booking.id}:reminder")


def _release_place(booking: Booking, *, now: datetime) -> None:
    """Give the booking's place back; a freed place in a group session goes to the waitlist's first person."""
    session = db.session.get(SupportSession, booking.session_id)
    entry = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.session_id == session.id)
                              .order_by(WaitlistEntry.created_at, WaitlistEntry.id).limit(1).with_for_update())
    if entry is not None and session.starts_at > now:
        _offer_place(session=session, entry=entry, now=now)
        return
    db.session.execute(
        update(SupportSession).where(SupportSession.id == session.id)
        .values(booked_count=SupportSession.booked_count - 1, is_active=SupportSession.booked_count > 1)
        .execution_options(synchronize_session=False))
    db.session.expire(session)


def _offer_place(*, session: SupportSession, entry: WaitlistEntry, now: datetime) -> Booking:
    """Hand the freed place (still counted in booked_count) to the first person waiting, held for a short time."""
    hold = timedelta(hours=current_app.config.get("SUPPORT_OFFER_HOLD_HOURS", 4))
    offer = Booking(session_id=session.id, supporter_id=session.supporter_id, booker_id=entry.user_id,
                    kind=session.kind, starts_at=session.starts_at, ends_at=session.ends_at,
                    status=BookingStatus.OFFERED, idempotency_key=f"offer-{uuid.uuid4().hex}",
                    calendar_uid=_new_uid(), hold_expires_at=min(now + hold, session.starts_at))
    db.session.add(offer)
    db.session.delete(entry)
    db.session.flush()
    schedule_job(kind=HOLD_EXPIRY_JOB, run_at=offer.hold_expires_at, payload={"booking_id": offer.id},
                 dedupe_key=f"booking:{offer.id}:hold")
    notify(recipient=offer.booker, kind="support.offer", subject=_l("A place has come up"),
           body=_l("A place has come up in a session you were waiting for. It is held for you for a short time."),
           url=_bookings_url(offer))
    return offer


def _move_status(booking: Booking, *, expected: tuple[str, ...], to: str, extra: dict | None = None) -> None:
    """Move the booking on only if it is still in an expected state; otherwise say who got there first."""
    # Every change raises the calendar invite's SEQUENCE, so calendars replace the old event.
    moved = move_state(booking, column="status", expected=expected, to=to, sequence=Booking.sequence + 1,
                       updated_at=utcnow(), **(extra or {}))
    if not moved:
        raise InvalidTransition(_("This booking has already changed: it is now “%(status)s”.",
                                  status=booking.status_value.label))


def cancel_booking(*, booking: Booking, actor: User, reason: str, now: datetime | None = None,
                   notify_calendar: bool = True) -> Booking:
    """Cancel a booking that still holds a place (booker or supporter). The reason is private to the two of them."""
    now = now or utcnow()
    if not reason.strip():
        raise DomainError(_("Say briefly why, so the other person knows."), field="reason")
    _move_status(booking, expected=HOLDING_STATUSES, to=BookingStatus.CANCELLED,
                 extra={"cancel_reason": reason.strip(), "cancelled_by_id": actor.id})
    _release_place(booking, now=now)
    cancel_jobs(dedupe_key_prefix=f"booking:{booking.id}:")
    record_event("support.booking_cancelled", actor=actor, target=booking)
    if notify_calendar:
        ics = [Attachment("cancel.ics", "text/calendar; method=CANCEL", cancel_ics(booking, now=now))]
        for person in (booking.booker, booking.supporter):
            notify(recipient=person, kind="support.booking", subject=_l("Support session cancelled"),
                   body=_l("A support session has been cancelled. Open Frontline to see the details."),
                   url=_bookings_url(booking), attachments=ics)
    return booking


def reschedule_booking(*, booking: Booking, actor: User, starts_at: datetime, reason: str, idempotency_key: str,
                       now: datetime | None = None) -> Booking:
    """Move a booking to another time with the same supporter: the old one is cancelled and linked to the new one,
    which keeps the calendar UID (with a higher SEQUENCE), so calendars move the event."""
    now = now or utcnow()
    existing = _booking_by_key(idempotency_key)
    if existing is not None and existing.rescheduled_from_id == booking.id:
        return existing
    cancel_booking(booking=booking, actor=actor, reason=reason, now=now, notify_calendar=False)
    new = book_slot(booker=booking.booker, supporter_id=booking.supporter_id, kind=booking.kind, starts_at=starts_at,
                    idempotency_key=idempotency_key, reason=booking.reason, now=now, rescheduled_from=booking)
    record_event("support.booking_rescheduled", actor=actor, target=new, rescheduled_from=booking.id)
    return new


def confirm_booking(*, booking: Booking, actor: User, now: datetime | None = None) -> Booking:
    """The supporter confirms a requested booking."""
    now = now or utcnow()
    _move_status(booking, expected=(BookingStatus.REQUESTED,), to=BookingStatus.CONFIRMED)
    record_event("support.booking_confirmed", actor=actor, target=booking)
    notify(recipient=booking.booker, kind="support.booking", subject=_l("Support session confirmed"),
           body=_l("Your supporter has confirmed your session. The calendar invite is attached."),
           url=_bookings_url(booking), attachments=_invite(booking, now))
    return booking


def accept_offer(*, booking: Booking, actor: User, now: datetime | None = None) -> Booking:
    """The person offered a freed group place takes it before the hold runs out."""
    now = now or utcnow()
    profile = db.session.get(SupporterProfile, booking.supporter_id)
    to = BookingStatus.REQUESTED if profile and profile.needs_confirmation else BookingStatus.CONFIRMED
    moved = db.session.execute(
        update(Booking).where(Booking.id == booking.id, Booking.status == BookingStatus.OFFERED,
                              Booking.hold_expires_at > now)
        .values(status=to, sequence=Booking.sequence + 1, hold_expires_at=None, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(booking)
    if moved != 1:
        raise InvalidTransition(_("Sorry, the hold on this place has run out."))
    cancel_jobs(dedupe_key_prefix=f"booking:{booking.id}:hold")
    record_event("support.offer_accepted", actor=actor, target=booking)
    _schedule_reminder(booking, now)
    _tell_both(booking, now=now, subject=_l("Support session booked"))
    return booking


def join_waitlist(*, user: User, session: SupportSession, now: datetime | None = None) -> WaitlistEntry:
    if session.supporter_id == user.id:
        raise DomainError(_("You cannot book a session with yourself."))
    if db.session.scalar(select(Booking.id).where(Booking.session_id == session.id, Booking.booker_id == user.id,
                                                  Booking.status.in_(HOLDING_STATUSES))):
        raise Conflict(_("You already have a place in this session."))
    existing = db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.session_id == session.id,
                                                             WaitlistEntry.user_id == user.id))
    if existing is not None:
        return existing
    entry = WaitlistEntry(session_id=session.id, user_id=user.id, created_at=now or utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:
        return db.session.scalar(select(WaitlistEntry).where(WaitlistEntry.session_id == session.id,
                                                             WaitlistEntry.user_id == user.id))
    record_event("support.waitlist_joined", actor=user, target=session)
    return entry


def mark_attendance(*, booking: Booking, actor: User, attended: bool, now: datetime | None = None) -> Booking:
    """The supporter records attended / did not attend once the session has started."""
    now = now or utcnow()
    if booking.starts_at > now:
        raise DomainError(_("You can record attendance once the session has started."))
    _move_status(booking, expected=(BookingStatus.CONFIRMED,),
                 to=BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW)
    record_event("support.attendance_marked", actor=actor, target=booking, attended=attended)
    return booking


def save_reflections(*, booking: Booking, actor: User, reflections: str) -> Booking:
    """The booker's own reflections on a session (kept for their supervision record)."""
    booking.reflections = reflections.strip()
    record_event("support.reflections_saved", actor=actor, target=booking)
    db.session.flush()
    return booking


def save_session_notes(*, booking: Booking, actor: User, notes: str) -> Booking:
    """The supporter's notes of the session (seen by the two of them only)."""
    booking.session_notes = notes.strip()
    record_event("support.session_notes_saved", actor=actor, target=booking)
    db.session.flush()
    return booking


def read_confidential(*, booking: Booking, actor: User, what: str) -> None:
    """Every read of a booking's confidential text is written to the audit log (not the text itself)."""
    record_event("support.confidential_read", actor=actor, target=booking, what=what)


@job_handler(REMINDER_JOB)
def send_reminder(payload: dict, now: datetime) -> None:
    booking = db.session.get(Booking, payload["booking_id"])
    if booking is None or booking.status not in (BookingStatus.CONFIRMED, BookingStatus.REQUESTED):
        return
    for person in (booking.booker, booking.supporter):
        notify(recipient=person, kind="support.reminder", subject=_l("Reminder: support session coming up"),
               body=_l("You have a support session soon. Open Frontline to see when and where."),
               url=_bookings_url(booking))


@job_handler(HOLD_EXPIRY_JOB)
def expire_hold(payload: dict, now: datetime) -> None:
    """A place offered from the waitlist and not taken in time goes to the next person (or back on sale)."""
    booking = db.session.get(Booking, payload["booking_id"])
    if booking is None:
        return
    lapsed = db.session.execute(
        update(Booking).where(and_(Booking.id == booking.id, Booking.status == BookingStatus.OFFERED,
                                   Booking.hold_expires_at <= now))
        .values(status=BookingStatus.CANCELLED, sequence=Booking.sequence + 1, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(booking)
    if lapsed == 1:
        record_event("support.offer_lapsed", target=booking)
        _release_place(booking, now=now)


# --- retention --------------------------------------------------------------------------------------------------

RETENTION_JOB = "support.retention"


@daily_job(RETENTION_JOB, hour_utc=3)
def erase_old_booking_content(payload: dict | None = None, now: datetime | None = None) -> int:
    """Blank the confidential words of sessions that ended longer ago than HR's retention period (the same period
    as de-briefs); the bookings themselves, and so every count, stay."""
    now = now or utcnow()
    cutoff = now - timedelta(days=peer_support_settings().retention_days)  # HR's one period for peer support
    has_words = (Booking.reason != "") | (Booking.cancel_reason != "") | (Booking.reflections != "") | (
        Booking.session_notes != "")
    result = db.session.execute(
        update(Booking).where(Booking.ends_at < cutoff, has_words)
        .values(reason="", cancel_reason="", reflections="", session_notes="")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        record_event("support.content_erased", count=result.rowcount)
    return result.rowcount
