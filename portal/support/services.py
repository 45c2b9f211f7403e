"""Booking support: take a place race-free, confirm, cancel, reschedule, waitlist offers, attendance.

Every function is keyword-only, takes the acting person as a parameter, flushes and never commits. Places are
taken in the database: a new session row is guarded by the PostgreSQL exclusion constraint (no two active sessions
of one supporter overlap) and a group place by a conditional UPDATE (``booked_count < capacity``). On SQLite the
caller's transaction already holds the one write lock (a POST's unit of work, or the worker's ``serialized_writes``
block, starts with BEGIN IMMEDIATE), so the overlap check in Python is exact there. Every other change of a booking
is an ``UPDATE … WHERE status IN (…)`` that must touch its one row: a second click, or the other person acting at
the same moment, gets a message saying what happened.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.common.i18n import when
from portal.common.workflow import move_state
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.jobs import cancel_jobs, schedule_job
from portal.notifications.kinds import notification_kind
from portal.notifications.services import Attachment, notify
from portal.support.calendar import cancel_ics, invite_ics
from portal.support.models import (
    HOLDING_STATUSES,
    REFLECTION_STATUSES,
    SESSION_NOTE_STATUSES,
    Booking,
    BookingStatus,
    MeetingMode,
    SupporterProfile,
    SupportKind,
    SupportSession,
    WaitlistEntry,
)
from portal.support.queries import future_booking_count, offered_slot
from portal.support.slots import Slot

GROUP = _l("Peer support")
BOOKING_KIND = notification_kind("support.booking", _l("When a support session is booked, changed or cancelled"),
                                 group=GROUP, confidential=True)
REMINDER_KIND = notification_kind("support.reminder", _l("Reminders before your support sessions"), group=GROUP,
                                  confidential=True)
OFFER_KIND = notification_kind("support.offer", _l("When a place comes up in a session you are waiting for"),
                               group=GROUP, confidential=True)

KINDS = (BOOKING_KIND, REMINDER_KIND, OFFER_KIND)

REMINDER_JOB = "support.reminder"
HOLD_EXPIRY_JOB = "support.hold_expiry"
RETENTION_JOB = "support.retention"


class SlotTaken(Conflict):
    """Someone else got the time first (or it is no longer offered)."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This time was just taken — here are the next available."))


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
    """At most SUPPORT_MAX_FUTURE_BOOKINGS upcoming sessions per person, also when they book several at once: the
    person's row is locked first (PostgreSQL; SQLite's write lock does the same), so their bookings are counted one
    after another, never side by side."""
    limit = current_app.config.get("SUPPORT_MAX_FUTURE_BOOKINGS", 4)
    db.session.execute(select(User.id).where(User.id == booker.id).with_for_update())
    if future_booking_count(user=booker, now=now) >= limit:
        raise DomainError(_("You already have %(limit)s sessions booked. Cancel one, or wait until one has "
                            "happened, to book another.", limit=limit))


def book_slot(*, booker: User, supporter_id: int, kind: SupportKind | str, starts_at: datetime,
              idempotency_key: str, reason: str = "", meeting_mode: MeetingMode | str | None = None,
              now: datetime | None = None, rescheduled_from: Booking | None = None) -> Booking:
    """Book one place in the slot the supporter's availability offers at ``starts_at``.

    Safe under any concurrency: exactly one person gets a 1:1 time or the last group place; the rest get
    ``SlotTaken``. The same ``idempotency_key`` again (a double click) returns the first booking. Raises
    ``DomainError`` for the per-person limit, booking oneself, a de-brief (asked for through the de-brief route,
    never booked) or a way of meeting the supporter does not offer. A refused insert is undone in a savepoint of its
    own, so the caller's transaction stays usable.
    """
    now, kind = now or utcnow(), SupportKind(kind)
    if kind == SupportKind.DEBRIEF:
        raise DomainError(_("De-briefs are not booked: ask for one under “I've had a difficult contact”."))
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
    mode = _meeting_mode(db.session.get(SupporterProfile, supporter_id), meeting_mode)
    if rescheduled_from is None:
        _check_limit(booker, now)
    booking = _insert_with_retry(slot, booker=booker, idempotency_key=idempotency_key, reason=reason,
                                 meeting_mode=mode, rescheduled_from=rescheduled_from)
    record_event("support.booking_created", actor=booker, target=booking, supporter_id=supporter_id, kind=kind,
                 rescheduled_from=rescheduled_from.id if rescheduled_from else None)
    _schedule_reminder(booking, now)
    _tell_both(booking, now=now, subject=_l("Support session booked") if rescheduled_from is None
               else _l("Support session moved"))
    return booking


def _meeting_mode(profile: SupporterProfile, chosen: MeetingMode | str | None) -> str | None:
    """The way of meeting to record: the one chosen, which must be one the supporter offers; their only one when they
    offer one; otherwise nothing (every way they offer is shown; the booking form asks people to choose)."""
    offered = list(profile.meeting_modes or ())
    if chosen:
        if chosen not in offered:
            raise DomainError(_("Choose one of the ways %(name)s meets people.", name=profile.user.display_name),
                              field="meeting_mode")
        return MeetingMode(chosen).value
    return offered[0] if len(offered) == 1 else None

def _insert_with_retry(slot: Slot, *, booker: User, idempotency_key: str, reason: str, meeting_mode: str | None,
                       rescheduled_from: Booking | None) -> Booking:
    """Insert the booking in a savepoint. When people book a group session nobody had booked yet, all but one of
    them lose the race to *create* the session (the exclusion constraint); they try once more and take a place in
    the session that now exists, so nobody is told "taken" while places are left."""
    retried = False
    while True:
        try:
            with db.session.begin_nested():
                return _insert_booking(slot, booker=booker, idempotency_key=idempotency_key, reason=reason,
                                       meeting_mode=meeting_mode, rescheduled_from=rescheduled_from)
        except (IntegrityError, SlotTaken) as error:
            first = _booking_by_key(idempotency_key)  # a double submit that lost the race to its twin
            if first is not None and first.booker_id == booker.id:
                return first
            if not retried and isinstance(error, IntegrityError) and slot.capacity > 1:
                retried = True
                continue
            raise SlotTaken() from error


def _insert_booking(slot: Slot, *, booker: User, idempotency_key: str, reason: str, meeting_mode: str | None,
                    rescheduled_from: Booking | None) -> Booking:
    """Take the place and add the booking (a move keeps the calendar UID and raises its SEQUENCE). Raises
    ``SlotTaken``, or ``IntegrityError`` from the constraints, for the caller's savepoint to undo."""
    profile = db.session.get(SupporterProfile, slot.supporter_id)
    session = _take_place(slot)
    booking = Booking(
        session_id=session.id, supporter_id=slot.supporter_id, booker_id=booker.id, kind=SupportKind(slot.kind),
        starts_at=slot.starts_at, ends_at=slot.ends_at, idempotency_key=idempotency_key, reason=reason.strip(),
        meeting_mode=meeting_mode,
        status=BookingStatus.REQUESTED if profile.needs_confirmation else BookingStatus.CONFIRMED,
        rescheduled_from_id=rescheduled_from.id if rescheduled_from else None,
        calendar_uid=rescheduled_from.calendar_uid if rescheduled_from else _new_uid(),
        sequence=rescheduled_from.sequence + 1 if rescheduled_from else 0)
    db.session.add(booking)
    db.session.flush()
    return booking


def _new_uid() -> str:
    return f"support-{uuid.uuid4().hex}@{current_app.config['MAIL_MESSAGE_ID_DOMAIN']}"


def _invite(booking: Booking, now: datetime) -> list[Attachment]:
    return [Attachment("invite.ics", "text/calendar; method=REQUEST", invite_ics(booking, now=now))]


def details(booking: Booking) -> LazyString:
    """What both people are told about a session, in emails and in Frontline: what, with whom, when and how — never
    what it is about (the reason stays in Frontline, for the two of them)."""
    starts, ends, kind = booking.starts_at, booking.ends_at, booking.kind
    supporter, booker, mode = booking.supporter.display_name, booking.booker.display_name, booking.mode

    def text() -> str:
        words = _("%(kind)s with %(supporter)s, booked by %(booker)s: %(when)s to %(end)s.", kind=kind.label,
                  supporter=supporter, booker=booker, when=when(starts), end=hhmm(ends))
        return f"{words} {mode.label}." if mode else words
    return LazyString(text)


def hhmm(value: datetime) -> str:
    return format_datetime(value, "HH:mm")


def _tell_both(booking: Booking, *, now: datetime, subject) -> None:
    body = details(booking)
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
    until = offer.hold_expires_at
    notify(recipient=offer.booker, kind="support.offer", subject=_l("A place has come up"),
           body=_l("A place has come up in a session you were waiting for. It is held for you until %(until)s; "
                   "after that it goes to the next person waiting.", until=LazyString(lambda: when(until))),
           url=_bookings_url(offer))
    return offer


def _move_status(booking: Booking, *, expected: tuple[BookingStatus, ...], to: BookingStatus,
                 extra: dict | None = None) -> None:
    """Move the booking on only if it is still in an expected state; otherwise say who got there first."""
    # Every change raises the calendar invite's SEQUENCE, so calendars replace the old event.
    moved = move_state(booking, column="status", expected=expected, to=to, sequence=Booking.sequence + 1,
                       updated_at=utcnow(), **(extra or {}))
    if not moved:
        raise _already_changed(booking)


def _already_changed(booking: Booking) -> InvalidTransition:
    return InvalidTransition(_("This booking has already changed: it is now “%(status)s”.",
                               status=booking.status.label))


def cancel_booking(*, booking: Booking, actor: User, reason: str = "", now: datetime | None = None) -> Booking:
    """Cancel a booking that still holds a place and has not started (its booker or its supporter: the caller
    checks who). The reason is optional and private to the two of them. Raises ``DomainError`` once the session has
    started, ``InvalidTransition`` when it no longer holds a place."""
    now = now or utcnow()
    _cancel(booking, actor=actor, reason=reason, now=now, expected=HOLDING_STATUSES, to=BookingStatus.CANCELLED)
    ics = [Attachment("cancel.ics", "text/calendar; method=CANCEL", cancel_ics(booking, now=now))]
    body = details(booking)
    for person in (booking.booker, booking.supporter):
        notify(recipient=person, kind="support.booking", subject=_l("Support session cancelled"),
               body=body, url=_bookings_url(booking), attachments=ics)
    return booking


def _cancel(booking: Booking, *, actor: User, reason: str, now: datetime, expected: tuple[BookingStatus, ...],
            to: BookingStatus) -> None:
    if booking.starts_at <= now:
        raise DomainError(_("This session has already started, so it can no longer be changed."))
    _move_status(booking, expected=expected, to=to,
                 extra={"cancel_reason": (reason or "").strip(), "cancelled_by_id": actor.id})
    _release_place(booking, now=now)
    cancel_jobs(dedupe_key_prefix=f"booking:{booking.id}:")
    record_event("support.booking_cancelled", actor=actor, target=booking)


def reschedule_booking(*, booking: Booking, actor: User, starts_at: datetime, idempotency_key: str, reason: str = "",
                       now: datetime | None = None) -> Booking:
    """Move a requested or confirmed booking that has not started to another time with the same supporter: the old
    one becomes "moved" and is linked to the new one, which keeps the calendar UID (with a higher SEQUENCE) and the
    way of meeting, so calendars move the event. The reason is optional. Raises ``SlotTaken`` when the new time is
    gone; the caller undoes the change with it."""
    now = now or utcnow()
    existing = _booking_by_key(idempotency_key)
    if existing is not None and existing.rescheduled_from_id == booking.id:
        return existing
    _cancel(booking, actor=actor, reason=reason, now=now,
            expected=(BookingStatus.REQUESTED, BookingStatus.CONFIRMED), to=BookingStatus.MOVED)
    profile = db.session.get(SupporterProfile, booking.supporter_id)
    keep_mode = booking.meeting_mode if booking.meeting_mode in (profile.meeting_modes or ()) else None
    try:
        new = book_slot(booker=booking.booker, supporter_id=booking.supporter_id, kind=booking.kind,
                        starts_at=starts_at, idempotency_key=idempotency_key, reason=booking.reason,
                        meeting_mode=keep_mode, now=now, rescheduled_from=booking)
    except SlotTaken as taken:
        raise SlotTaken(_("That time was just taken. Choose another.")) from taken
    record_event("support.booking_rescheduled", actor=actor, target=new, rescheduled_from=booking.id)
    return new


def confirm_booking(*, booking: Booking, actor: User, now: datetime | None = None) -> Booking:
    """The supporter confirms a requested booking."""
    now = now or utcnow()
    _move_status(booking, expected=(BookingStatus.REQUESTED,), to=BookingStatus.CONFIRMED)
    record_event("support.booking_confirmed", actor=actor, target=booking)
    notify(recipient=booking.booker, kind="support.booking", subject=_l("Support session confirmed"),
           body=details(booking),
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
    """The booker's own reflections on a confirmed or attended session (kept for their supervision record)."""
    _write_words(booking, allowed=REFLECTION_STATUSES, reflections=reflections.strip())
    record_event("support.reflections_saved", actor=actor, target=booking)
    return booking


def save_session_notes(*, booking: Booking, actor: User, notes: str) -> Booking:
    """The supporter's notes of a session that was confirmed (seen by the two of them only)."""
    _write_words(booking, allowed=SESSION_NOTE_STATUSES, session_notes=notes.strip())
    record_event("support.session_notes_saved", actor=actor, target=booking)
    return booking


def _write_words(booking: Booking, *, allowed: tuple[BookingStatus, ...], **words: str) -> None:
    """Save private words only while the booking is in one of the ``allowed`` states (a cancellation may just have
    happened in another tab)."""
    written = db.session.execute(
        update(Booking).where(Booking.id == booking.id, Booking.status.in_(allowed))
        .values(updated_at=utcnow(), **words).execution_options(synchronize_session=False)).rowcount
    db.session.expire(booking)
    if written != 1:
        raise _already_changed(booking)


def read_confidential(*, booking: Booking, actor: User, what: str) -> None:
    """Every read of a booking's confidential text is written to the audit log (not the text itself)."""
    record_event("support.confidential_read", actor=actor, target=booking, what=what)


def remind_booking(*, booking: Booking) -> bool:
    """The reminder job: tell both people about a session still booked (never what it is about)."""
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.REQUESTED):
        return False
    for person in (booking.booker, booking.supporter):
        notify(recipient=person, kind="support.reminder", subject=_l("Reminder: support session coming up"),
               body=details(booking),
               url=_bookings_url(booking))
    return True


def expire_offer(*, booking: Booking, now: datetime) -> bool:
    """The hold job: a place offered from the waitlist and not taken in time goes to the next person (or back on
    sale). True when this call let it lapse."""
    lapsed = db.session.execute(
        update(Booking).where(and_(Booking.id == booking.id, Booking.status == BookingStatus.OFFERED,
                                   Booking.hold_expires_at <= now))
        .values(status=BookingStatus.CANCELLED, sequence=Booking.sequence + 1, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(booking)
    if lapsed != 1:
        return False
    record_event("support.offer_lapsed", target=booking)
    starts = booking.starts_at
    notify(recipient=booking.booker, kind="support.offer", subject=_l("The place held for you has gone"),
           body=_l("The place held for you in the session on %(starts)s was not taken in time, so it has gone to "
                   "the next person. You can book another time.", starts=LazyString(lambda: when(starts))),
           url="/support/book")
    _release_place(booking, now=now)
    return True

