"""Peer-support objects for the generated route tests."""

from datetime import date, timedelta

from portal.db import utcnow
from portal.extensions import db
from portal.support.models import AvailabilityException, Booking, OneOffSession, SupportKind, WeeklyHours
from portal.support.profiles import create_feed_token
from portal.support.services import book_slot
from tests.factories import UserFactory
from tests.route_objects import Owned, arg_builder, builder
from tests.support.factories import key, london, make_supporter, one_off, weekly


def _next_week() -> date:
    return utcnow().date() + timedelta(days=7)


@builder(Booking)
def booking() -> Owned:
    """A confirmed 1:1 next week: the booker owns it, the supporter is the other person with a claim on it."""
    profile = make_supporter()
    day = _next_week()
    weekly(profile, weekday=day.weekday(), start="09:00", end="10:00")
    made = book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind=SupportKind.CLINICAL,
                     starts_at=london(day, "09:00"), idempotency_key=key(), reason="A hard week of calls")
    return Owned(made, made.booker, others=[profile.user], confidential=True)


@builder(WeeklyHours)
def weekly_hours() -> Owned:
    profile = make_supporter()
    return Owned(weekly(profile, weekday=1, start="09:00", end="12:00"), profile.user)


@builder(OneOffSession)
def one_off_session() -> Owned:
    profile = make_supporter()
    return Owned(one_off(profile, starts_at=london(_next_week(), "14:00")), profile.user)


@builder(AvailabilityException)
def days_off() -> Owned:
    profile = make_supporter()
    first = _next_week()
    row = AvailabilityException(supporter_id=profile.user_id, first_day=first, last_day=first + timedelta(days=2),
                                label="Annual leave")
    db.session.add(row)
    db.session.flush()
    return Owned(row, profile.user)


@arg_builder("token")
def calendar_feed_token() -> Owned:
    """A working calendar-feed link: the token is the key, so whoever holds it gets the feed."""
    person = UserFactory()
    return Owned(person, person, extra_args={"token": create_feed_token(user=person)})
