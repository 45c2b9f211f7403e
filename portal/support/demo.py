"""Demo peer support: supporter profiles and availability for the demo supporters, and a few bookings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.support.models import (
    AvailabilityException,
    Booking,
    BookingStatus,
    SupporterProfile,
    SupportKind,
    SupportSession,
    WeeklyHours,
)
from portal.support.queries import open_slots
from portal.support.services import book_slot
from portal.support.slots import LONDON

K = SupportKind
PROFILES = {
    "daniel.hughes": dict(
        kinds=[K.CLINICAL, K.GROUP, K.DEBRIEF],
        about="Clinical psychologist. I supervise PALS officers and work coaches who take distressing calls, one to "
        "one or in a small group.", experience="Suicide and self-harm disclosures, "
        "bereavement, complaints about end-of-life care", meeting_modes=["room", "video"],
        room="Staff Psychology, Level 2, Education Centre", hours=[(1, "09:30", "12:30", K.CLINICAL, 1),
                                                                 (3, "09:30", "12:30", K.CLINICAL, 1),
                                                                 (2, "14:00", "15:30", K.GROUP, 6)]),
    "eleanor.grant": dict(
        kinds=[K.CLINICAL, K.RESTORATIVE], needs_confirmation=True, slot_minutes=60,
        about="Consultant clinical psychologist leading staff wellbeing.", experience="Restorative supervision, "
        "moral injury, team de-briefs after serious incidents", meeting_modes=["room", "phone"],
        room="Staff Psychology, Level 2, Education Centre", phone="0191 555 0142",
        hours=[(0, "13:00", "16:00", K.RESTORATIVE, 1), (4, "10:00", "12:00", K.CLINICAL, 1)]),
    "nadia.kowalski": dict(
        kinds=[K.DEBRIEF, K.RESTORATIVE], slot_minutes=45, min_notice_hours=2,
        about="Staff wellbeing practitioner and trained TRiM practitioner.",
        experience="De-briefs after threats and abuse, returning to work after a hard call",
        meeting_modes=["phone", "video"], phone="0191 555 0187",
        # De-briefs come through the duty rota, not bookings: her bookable hours are restorative supervision.
        hours=[(d, "08:30", "12:30", K.RESTORATIVE, 1) for d in (1, 3)]),
    "kwame.mensah": dict(
        kinds=[K.MENTORING, K.DEBRIEF], about="Senior PALS officer, eleven years on the front line.",
        experience="New starters, handling complaints calmly, warm handovers", meeting_modes=["room", "phone"],
        room="PALS office, Main Entrance", hours=[(2, "15:00", "17:00", K.MENTORING, 1)]),
    "rachel.adeyemi": dict(
        kinds=[K.MENTORING, K.DEBRIEF], about="Team leader for PALS South; happy to talk about anything.",
        experience="Stepping up to team leader, bereavement calls", meeting_modes=["room", "video"],
        room="PALS South office", hours=[(3, "14:00", "16:00", K.MENTORING, 1)]),
    "michelle.charlton": dict(
        kinds=[K.MENTORING, K.DEBRIEF], about="Team leader at Newcastle Central.",
        experience="Difficult conversations about sanctions, customers in crisis, work coach development",
        meeting_modes=["room"],
        room="Newcastle Central, Room 3", hours=[(0, "10:00", "12:00", K.MENTORING, 1)]),
    "jamal.edwards": dict(
        kinds=[K.MENTORING, K.DEBRIEF], about="Team leader at Gateshead Riverside.",
        experience="Safeguarding referrals, threats at the front desk", meeting_modes=["room", "phone"],
        room="Gateshead Riverside, interview room 2",
        phone="0191 555 0230", hours=[(4, "13:00", "15:00", K.MENTORING, 1)]),
}
PAST_SESSIONS = [  # booker, supporter, kind, weeks ago, reflections
    ("priya.shah", "daniel.hughes", K.CLINICAL, 10, "Talked through the caller who said goodbye. I did the right "
     "things; I need to stop replaying it on the drive home."),
    ("priya.shah", "daniel.hughes", K.CLINICAL, 6, "Boundaries with families who call every day."),
    ("priya.shah", "daniel.hughes", K.CLINICAL, 2, ""),
    ("tom.brennan", "kwame.mensah", K.MENTORING, 5, ""),
]
FUTURE = [("tom.brennan", K.MENTORING, "Getting more confident on complaints calls"),
          ("aisha.rahman", K.CLINICAL, "A hard week of bereavement calls")]


def load_demo(people: dict[str, User]) -> None:
    """Idempotent: does nothing when any supporter profile exists. Flushes; the caller commits."""
    if db.session.scalar(select(SupporterProfile.user_id).limit(1)) is not None:
        return
    by_key = {email.split("@")[0]: user for email, user in people.items()}
    for key, spec in PROFILES.items():
        user = by_key.get(key)
        if user is None:
            continue
        spec = dict(spec)
        hours = spec.pop("hours")
        db.session.add(SupporterProfile(user_id=user.id, **{"meeting_modes": [], "room": "", "phone": "",
                                                            "horizon_days": 42, "min_notice_hours": 12, **spec}))
        for weekday, start, end, kind, capacity in hours:
            db.session.add(WeeklyHours(supporter_id=user.id, kind=kind, weekday=weekday,
                                       start_time=time.fromisoformat(start), end_time=time.fromisoformat(end),
                                       capacity=capacity))
    if "daniel.hughes" in by_key:
        leave = utcnow().date() + timedelta(days=14)
        db.session.add(AvailabilityException(supporter_id=by_key["daniel.hughes"].id, first_day=leave,
                                             last_day=leave + timedelta(days=4), label="Annual leave"))
    db.session.flush()
    _past_sessions(by_key)
    _future_bookings(by_key)


def _past_sessions(by_key: dict[str, User]) -> None:
    today = utcnow().date()
    for booker, supporter, kind, weeks, reflections in PAST_SESSIONS:
        if booker not in by_key or supporter not in by_key:
            continue
        day = today - timedelta(weeks=weeks)
        tuesday = day - timedelta(days=day.weekday() - 1)
        starts_at = datetime.combine(tuesday, time(10), tzinfo=LONDON).astimezone(UTC)
        ends_at = starts_at + timedelta(minutes=50)
        session = SupportSession(supporter_id=by_key[supporter].id, kind=kind, starts_at=starts_at, ends_at=ends_at,
                                 capacity=1, booked_count=1)
        db.session.add(session)
        db.session.flush()
        db.session.add(Booking(
            session_id=session.id, supporter_id=by_key[supporter].id, booker_id=by_key[booker].id, kind=kind,
            starts_at=starts_at, ends_at=ends_at, status=BookingStatus.ATTENDED, idempotency_key=uuid.uuid4().hex,
            reflections=reflections, calendar_uid=f"support-{uuid.uuid4().hex}@"
            f"{current_app.config['MAIL_MESSAGE_ID_DOMAIN']}", created_at=starts_at - timedelta(days=7)))
    db.session.flush()


def _future_bookings(by_key: dict[str, User]) -> None:
    for booker, kind, reason in FUTURE:
        if booker not in by_key:
            continue
        slots = open_slots(now=utcnow(), kind=kind, exclude_supporter_id=by_key[booker].id, limit=3)
        if slots:
            slot = slots[-1]
            modes = db.session.get(SupporterProfile, slot.supporter_id).meeting_modes
            book_slot(booker=by_key[booker], supporter_id=slot.supporter_id, kind=kind, starts_at=slot.starts_at,
                      idempotency_key=uuid.uuid4().hex, reason=reason, meeting_mode=modes[0] if modes else None)
