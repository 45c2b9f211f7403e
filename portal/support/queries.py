"""Reading support data: open slots (a fixed number of queries however many supporters), queues, records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User, UserRole
from portal.common.roles import Role
from portal.extensions import db
from portal.support.bank_holidays import bank_holidays, region_for, regions_for
from portal.support.models import (
    BOOKABLE_KINDS,
    HOLDING_STATUSES,
    AvailabilityException,
    Booking,
    BookingStatus,
    OneOffSession,
    SupporterProfile,
    SupportKind,
    SupportSession,
    WeeklyHours,
)
from portal.support.slots import LONDON, Slot, candidate_slots, subtract_sessions


def supporter_profiles(*, kind: str | None = None, supporter_id: int | None = None) -> list[SupporterProfile]:
    """Active people with the supporter role who are taking bookings (optionally offering ``kind``)."""
    stmt = (select(SupporterProfile).join(SupporterProfile.user)
            .where(SupporterProfile.is_accepting, User.is_active_account,
                   select(UserRole).where(UserRole.user_id == User.id, UserRole.role == Role.SUPPORTER).exists())
            .order_by(User.display_name).options(joinedload(SupporterProfile.user).raiseload(User.role_rows)))
    if supporter_id is not None:
        stmt = stmt.where(SupporterProfile.user_id == supporter_id)
    profiles = list(db.session.scalars(stmt))
    return [p for p in profiles if kind is None or kind in p.kinds]


def london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(LONDON)


def open_slots(*, now: datetime, kind: str | None = None, supporter_id: int | None = None, on_day: date | None = None,
               exclude_supporter_id: int | None = None, include_full: bool = False, limit: int | None = None,
               start: datetime | None = None, end: datetime | None = None,
               profiles: list[SupporterProfile] | None = None) -> list[Slot]:
    """Open slots, soonest first, honouring each supporter's minimum notice and booking horizon.

    ``include_full`` keeps full group sessions (``places_left == 0``) so people can join their waiting list.
    Without a ``kind`` only the bookable kinds are listed (de-briefs and mentoring have routes of their own: see
    ``BOOKABLE_KINDS``). Weekly hours are not offered on the bank holidays of the supporter's region.

    ``profiles`` are the supporters the caller already loaded with ``supporter_profiles()`` (so a page reads them
    once); they are filtered here as they would be by the query. With a ``limit`` the work is bounded by what is
    shown: slots are computed a stretch at a time (``first_stretch``, then doubling) until ``limit`` are found, and
    the soonest ``limit`` of them are checked against booked sessions (with every slot starting at the same time as
    the last), so the list is the start of the whole window's. Five queries (six without ``profiles``), and one more
    each time booked sessions leave the list short, checking twice as many slots as the time before.
    """
    if profiles is None:
        profiles = supporter_profiles(kind=kind, supporter_id=supporter_id)
    profiles = [p for p in profiles if (supporter_id is None or p.user_id == supporter_id)
                and (kind is None or kind in (p.kinds or ())) and p.user_id != exclude_supporter_id]
    if kind is None:
        profiles = [p for p in profiles if set(p.kinds or ()) & {k.value for k in BOOKABLE_KINDS}]
    if not profiles:
        return []
    window_start = start or now
    window_end = end or now + timedelta(days=max(p.horizon_days for p in profiles))
    if on_day is not None:
        window_start = max(window_start, london_midnight(on_day))
        window_end = min(window_end, london_midnight(on_day + timedelta(days=1)))
    if window_end <= window_start:
        return []
    rules = SlotRules.load(profiles, kind=kind, start=window_start, end=window_end)
    result: list[Slot] = []
    computed: list[Slot] = []  # slots computed, soonest first, not yet checked against booked sessions
    stretch_start, stretch, batch = window_start, first_stretch(len(profiles)), limit
    while limit is None or len(result) < limit:
        wanted = None if limit is None else max(batch, limit - len(result))
        while stretch_start < window_end and (wanted is None or len(computed) < wanted):
            stretch_end = window_end if limit is None else min(window_end, stretch_start + stretch)
            computed.extend(rules.candidates(stretch_start, stretch_end, now=now, kind=kind))
            stretch_start, stretch = stretch_end, stretch * 2
        if not computed:
            break
        checked = computed
        if wanted is not None and len(computed) > wanted:  # a busy stretch: check the soonest, keep the rest
            cut = computed[wanted - 1].starts_at  # every slot starting by then, so slots starting together stay
            checked = [slot for slot in computed if slot.starts_at <= cut]
        computed = computed[len(checked):]
        result.extend(rules.less_sessions(checked, since=checked[0].starts_at, before=window_end,
                                          include_full=include_full))
        batch = None if batch is None else batch * 2  # sessions took some: check twice as many next time
    return result[:limit] if limit is not None else result


# How much time a limited list computes slots for first (then twice as much, and so on): two days for up to
# FEW_SUPPORTERS supporters, less in proportion for more, since each supporter adds slots to every day. At scale M
# (200 supporters) two days made 782 slots to show 30; the first stretch is now under five hours.
FIRST_DAYS = 2
FEW_SUPPORTERS = 20


def first_stretch(supporters: int) -> timedelta:
    return timedelta(hours=max(1.0, FIRST_DAYS * 24 * min(1.0, FEW_SUPPORTERS / max(supporters, 1))))


class SlotRules:
    """What the supporters offer in a window, read once (weekly hours, one-off sessions, days off, regions: small
    tables, a few rows a supporter), turned into slots a stretch at a time."""

    def __init__(self, profiles: list[SupporterProfile], *, weekly: dict, one_offs: dict, exceptions: dict,
                 regions: dict):
        self.profiles, self.weekly, self.one_offs, self.exceptions = profiles, weekly, one_offs, exceptions
        self.regions = regions

    @classmethod
    def load(cls, profiles: list[SupporterProfile], *, kind: str | None, start: datetime, end: datetime) -> SlotRules:
        # Plain rows with the rules' columns, not ORM objects: 200 supporters have some 600 weekly rules, and making
        # an object of each was a fifth of the slot browser's time at scale M.
        ids = [p.user_id for p in profiles]
        weekly = _by_supporter(db.session.execute(_kind_filter(select(*_columns(WeeklyHours)).where(
            WeeklyHours.supporter_id.in_(ids)), WeeklyHours, kind)))
        one_offs = _by_supporter(db.session.execute(_kind_filter(select(*_columns(OneOffSession)).where(
            OneOffSession.supporter_id.in_(ids), OneOffSession.starts_at >= start,
            OneOffSession.starts_at < end), OneOffSession, kind)))
        exceptions = _by_supporter(db.session.execute(select(*_columns(AvailabilityException)).where(
            AvailabilityException.supporter_id.in_(ids),
            AvailabilityException.last_day >= start.astimezone(LONDON).date(),
            AvailabilityException.first_day <= end.astimezone(LONDON).date())))
        regions = regions_for({p.user.unit_id: p.user.unit for p in profiles}.values())
        return cls(profiles, weekly=weekly, one_offs=one_offs, exceptions=exceptions, regions=regions)

    def candidates(self, window_start: datetime, window_end: datetime, *, now: datetime,
                   kind: str | None) -> list[Slot]:
        """Every slot the rules offer with a start in [window_start, window_end), soonest first, taken or not."""
        first_day, last_day = window_start.astimezone(LONDON).date(), window_end.astimezone(LONDON).date()
        holidays = {region: bank_holidays(region, first_day, last_day) for region in set(self.regions.values())}
        slots: list[Slot] = []
        for profile in self.profiles:
            start_at = max(window_start, now + timedelta(hours=profile.min_notice_hours))
            end_at = min(window_end, now + timedelta(days=profile.horizon_days))
            if end_at <= start_at:
                continue
            slots.extend(candidate_slots(
                profile=profile, weekly=self.weekly.get(profile.user_id, ()),
                one_offs=self.one_offs.get(profile.user_id, ()), exceptions=self.exceptions.get(profile.user_id, ()),
                start=start_at, end=end_at,
                holidays=holidays[self.regions[profile.user.unit_id]]))
        slots = [s for s in slots if (s.kind == kind if kind is not None else s.kind in BOOKABLE_KINDS)]
        slots.sort(key=lambda s: (s.starts_at, s.supporter_id, s.kind))
        return slots

    @staticmethod
    def less_sessions(slots: list[Slot], *, since: datetime, before: datetime, include_full: bool) -> list[Slot]:
        """``slots`` still open, in one query for the sessions that can overlap them (those starting before the
        last slot ends, and before ``before``, the end of the whole window being listed)."""
        if not slots:
            return []
        # Plain rows, not sessions with their supporters: a page of slots for 200 supporters meets a few hundred.
        sessions = db.session.execute(select(
            SupportSession.supporter_id, SupportSession.kind, SupportSession.starts_at, SupportSession.ends_at,
            SupportSession.capacity, SupportSession.booked_count).where(
            SupportSession.supporter_id.in_({s.supporter_id for s in slots}), SupportSession.is_active,
            SupportSession.starts_at < min(max(s.ends_at for s in slots), before), SupportSession.ends_at > since))
        return subtract_sessions(slots, sessions, include_full=include_full)


def _columns(model) -> list:
    """Every mapped column of ``model`` (its attributes), to read rows that look like its objects."""
    return [getattr(model, column.key) for column in model.__mapper__.column_attrs]


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
                            start=starts_at, end=starts_at + timedelta(minutes=1),
                            holidays=bank_holidays(region_for(profile.user.unit), day, day))
    return next((s for s in slots if s.starts_at == starts_at and s.kind == kind), None)


def active_session_at(*, supporter_id: int, kind: SupportKind, starts_at: datetime) -> SupportSession | None:
    """The supporter's session of this kind starting exactly then, while it is still on — as it is in the database
    now (after a lost race the session may be in this request's identity map with an older count)."""
    return db.session.scalar(select(SupportSession).where(
        SupportSession.supporter_id == supporter_id, SupportSession.kind == kind,
        SupportSession.starts_at == starts_at, SupportSession.is_active)
        .execution_options(populate_existing=True))


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
        Booking.starts_at >= now - timedelta(days=30)).order_by(Booking.starts_at)
        .options(selectinload(Booking.supporter_profile))))


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
