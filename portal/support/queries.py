"""Reading support data: open slots (a fixed number of queries however many supporters), queues, records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select

from portal.auth.models import User, UserRole
from portal.common.roles import Role
from portal.extensions import db
from portal.support.models import (
    HOLDING_STATUSES,
    AvailabilityException,
    Booking,
    BookingStatus,
    OneOffSession,
    SupporterProfile,
    SupportSession,
    WeeklyHours,
)
from portal.support.slots import LONDON, Slot, candidate_slots, subtract_sessions


def supporter_profiles(*, kind: str | None = None, supporter_id: int | None = None) -> list[SupporterProfile]:
    """Active people with the supporter role who are taking bookings (optionally offering ``kind``)."""
    stmt = (select(SupporterProfile).join(SupporterProfile.user)
            .where(SupporterProfile.is_accepting, User.is_active_account,
                   select(UserRole).where(UserRole.user_id == User.id, UserRole.role == Role.SUPPORTER).exists())
            .order_by(User.display_name))
    if supporter_id is not None:
        stmt = stmt.where(SupporterProfile.user_id == supporter_id)
    profiles = list(db.session.scalars(stmt))
    return [p for p in profiles if kind is None or kind in p.kinds]


def london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(LONDON)


def open_slots(*, now: datetime, kind: str | None = None, supporter_id: int | None = None, on_day: date | None = None,
               exclude_supporter_id: int | None = None, include_full: bool = False, limit: int | None = None,
               start: datetime | None = None, end: datetime | None = None) -> list[Slot]:
    """Open slots, soonest first, honouring each supporter's minimum notice and booking horizon.

    Runs five queries whatever the number of supporters and rules. ``include_full`` keeps full group sessions
    (``places_left == 0``) so people can join their waiting list.
    """
    profiles = [p for p in supporter_profiles(kind=kind, supporter_id=supporter_id)
                if p.user_id != exclude_supporter_id]
    if not profiles:
        return []
    window_start = start or now
    window_end = end or now + timedelta(days=max(p.horizon_days for p in profiles))
    if on_day is not None:
        window_start = max(window_start, london_midnight(on_day))
        window_end = min(window_end, london_midnight(on_day + timedelta(days=1)))
    if window_end <= window_start:
        return []
    ids = [p.user_id for p in profiles]
    weekly = _by_supporter(db.session.scalars(_kind_filter(select(WeeklyHours).where(
        WeeklyHours.supporter_id.in_(ids)), WeeklyHours, kind)))
    one_offs = _by_supporter(db.session.scalars(_kind_filter(select(OneOffSession).where(
        OneOffSession.supporter_id.in_(ids), OneOffSession.starts_at >= window_start,
        OneOffSession.starts_at < window_end), OneOffSession, kind)))
    exceptions = _by_supporter(db.session.scalars(select(AvailabilityException).where(
        AvailabilityException.supporter_id.in_(ids),
        AvailabilityException.last_day >= window_start.astimezone(LONDON).date(),
        AvailabilityException.first_day <= window_end.astimezone(LONDON).date())))
    sessions = list(db.session.scalars(select(SupportSession).where(
        SupportSession.supporter_id.in_(ids), SupportSession.is_active,
        SupportSession.starts_at < window_end, SupportSession.ends_at > window_start)))
    slots: list[Slot] = []
    for profile in profiles:
        start_at = max(window_start, now + timedelta(hours=profile.min_notice_hours))
        end_at = min(window_end, now + timedelta(days=profile.horizon_days))
        if end_at <= start_at:
            continue
        slots.extend(candidate_slots(profile=profile, weekly=weekly.get(profile.user_id, ()),
                                     one_offs=one_offs.get(profile.user_id, ()),
                                     exceptions=exceptions.get(profile.user_id, ()), start=start_at, end=end_at))
    result = subtract_sessions(slots, sessions, include_full=include_full)
    result = [s for s in result if kind is None or s.kind == kind]
    result.sort(key=lambda s: (s.starts_at, s.supporter_id, s.kind))
    return result[:limit] if limit is not None else result


def _kind_filter(stmt: Select, model, kind: str | None) -> Select:
    return stmt if kind is None else stmt.where(model.kind == kind)


def _by_supporter(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.supporter_id, []).append(row)
    return grouped


def offered_slot(*, supporter_id: int, kind: str, starts_at: datetime, now: datetime) -> Slot | None:
    """The slot the rules offer at exactly this start (taken or not), or None if no rule offers it."""
    profiles = supporter_profiles(kind=kind, supporter_id=supporter_id)
    if not profiles:
        return None
    profile = profiles[0]
    if not now + timedelta(hours=profile.min_notice_hours) <= starts_at < now + timedelta(days=profile.horizon_days):
        return None
    day = starts_at.astimezone(LONDON).date()
    weekly = db.session.scalars(select(WeeklyHours).where(WeeklyHours.supporter_id == supporter_id,
                                                          WeeklyHours.kind == kind))
    one_offs = db.session.scalars(select(OneOffSession).where(
        OneOffSession.supporter_id == supporter_id, OneOffSession.kind == kind, OneOffSession.starts_at == starts_at))
    exceptions = db.session.scalars(select(AvailabilityException).where(
        AvailabilityException.supporter_id == supporter_id, AvailabilityException.first_day <= day,
        AvailabilityException.last_day >= day))
    slots = candidate_slots(profile=profile, weekly=weekly, one_offs=one_offs, exceptions=exceptions,
                            start=starts_at, end=starts_at + timedelta(minutes=1))
    return next((s for s in slots if s.starts_at == starts_at and s.kind == kind), None)


def future_booking_count(*, user: User, now: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.booker_id == user.id, Booking.status.in_(HOLDING_STATUSES), Booking.starts_at > now)) or 0


def my_bookings(*, user: User, now: datetime, upcoming: bool = True, limit: int = 50) -> list[Booking]:
    """The person's bookings as the one who booked: upcoming (soonest first) or past (latest first)."""
    stmt = select(Booking).where(Booking.booker_id == user.id)
    if upcoming:
        stmt = stmt.where(Booking.ends_at > now, Booking.status.in_(HOLDING_STATUSES)).order_by(Booking.starts_at)
    else:
        stmt = stmt.where(or_(Booking.ends_at <= now, Booking.status.not_in(HOLDING_STATUSES))).order_by(
            Booking.starts_at.desc())
    return list(db.session.scalars(stmt.limit(limit)))


def supporter_queue(*, supporter: User, now: datetime, limit: int = 100) -> dict[str, list[Booking]]:
    """What a supporter needs to act on: bookings to confirm, places offered, sessions coming up, and past
    sessions still waiting for attended / did not attend."""
    base = select(Booking).where(Booking.supporter_id == supporter.id)
    to_confirm = db.session.scalars(base.where(Booking.status == BookingStatus.REQUESTED, Booking.starts_at > now)
                                    .order_by(Booking.starts_at).limit(limit))
    upcoming = db.session.scalars(base.where(Booking.status.in_((BookingStatus.CONFIRMED, BookingStatus.OFFERED)),
                                             Booking.starts_at > now).order_by(Booking.starts_at).limit(limit))
    to_mark = db.session.scalars(base.where(Booking.status == BookingStatus.CONFIRMED, Booking.starts_at <= now)
                                 .order_by(Booking.starts_at.desc()).limit(limit))
    return {"to_confirm": list(to_confirm), "upcoming": list(upcoming), "to_mark": list(to_mark)}


def count_to_confirm(*, supporter: User, now: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.supporter_id == supporter.id, Booking.status == BookingStatus.REQUESTED,
        Booking.starts_at > now)) or 0


def feed_bookings(*, user: User, now: datetime) -> list[Booking]:
    """Bookings for the person's calendar feed: as booker or supporter, from 30 days ago on, still holding."""
    return list(db.session.scalars(select(Booking).where(
        or_(Booking.booker_id == user.id, Booking.supporter_id == user.id),
        Booking.status.in_((*HOLDING_STATUSES, BookingStatus.ATTENDED)),
        Booking.starts_at >= now - timedelta(days=30)).order_by(Booking.starts_at)))


def supervision_record(*, user: User) -> list[Booking]:
    """The person's attended sessions, oldest first (for revalidation)."""
    return list(db.session.scalars(select(Booking).where(
        Booking.booker_id == user.id, Booking.status == BookingStatus.ATTENDED).order_by(Booking.starts_at)))


def availability_for(*, supporter: User) -> dict[str, list]:
    weekly = db.session.scalars(select(WeeklyHours).where(WeeklyHours.supporter_id == supporter.id)
                                .order_by(WeeklyHours.weekday, WeeklyHours.start_time))
    one_offs = db.session.scalars(select(OneOffSession).where(OneOffSession.supporter_id == supporter.id)
                                  .order_by(OneOffSession.starts_at))
    exceptions = db.session.scalars(select(AvailabilityException).where(
        AvailabilityException.supporter_id == supporter.id).order_by(AvailabilityException.first_day))
    return {"weekly": list(weekly), "one_offs": list(one_offs), "exceptions": list(exceptions)}
