"""Supporter profiles, availability rules and personal calendar feeds (services: keyword-only, flush only)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import delete, select

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import DomainError, NotFound
from portal.common.roles import Role
from portal.db import utcnow
from portal.extensions import db
from portal.support.models import (
    AvailabilityException,
    CalendarFeed,
    OneOffSession,
    SupporterProfile,
    SupportKind,
    WeeklyHours,
)
from portal.support.slots import london_to_utc

PROFILE_FIELDS = ("kinds", "about", "experience", "meeting_modes", "room", "phone", "video_link", "mentee_capacity",
                  "needs_confirmation", "slot_minutes", "buffer_minutes", "min_notice_hours", "horizon_days",
                  "is_accepting")


def _require_supporter(user: User) -> None:
    if not user.has_role(Role.SUPPORTER):
        raise DomainError(_("Only supporters can offer sessions."))


def profile_for(*, supporter: User) -> SupporterProfile:
    """The supporter's saved profile, or an unsaved one with the defaults: reading never creates a row."""
    return db.session.get(SupporterProfile, supporter.id) or SupporterProfile.unsaved(supporter)


def save_profile(*, supporter: User, **values) -> SupporterProfile:
    """Update what the supporter offers and how they work. Unknown keys are a programming error."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields {sorted(unknown)}")
    if "kinds" in values and not values["kinds"]:
        raise DomainError(_("Choose at least one kind of support you offer."), field="kinds")
    if values.get("video_link"):
        _check_video_link(values["video_link"])
    _require_supporter(supporter)
    profile = profile_for(supporter=supporter)
    db.session.add(profile)
    for name, value in values.items():
        setattr(profile, name, value)
    record_event("support.profile_saved", actor=supporter, target_type="supporter_profile", target_id=supporter.id)
    db.session.flush()
    return profile


def _check_video_link(link: str) -> None:
    """Bookers click this link: only a real https address, never javascript: or data: (XSS by profile)."""
    parts = urlsplit(link)
    if parts.scheme != "https" or not parts.netloc:
        raise DomainError(_("Enter the full link to your video calls, starting with https://"), field="video_link")


def _check_kind(profile: SupporterProfile, kind: str) -> None:
    if kind not in profile.kinds:
        raise DomainError(_("Add “%(kind)s” to what you offer first.", kind=SupportKind(kind).label), field="kind")


def _check_capacity(kind: str, capacity: int) -> int:
    if kind == SupportKind.GROUP:
        if capacity < 2:
            raise DomainError(_("A group session needs room for at least 2 people."), field="capacity")
        return capacity
    return 1


def add_weekly_hours(*, supporter: User, kind: str, weekday: int, start_time: time, end_time: time,
                     capacity: int = 1) -> WeeklyHours:
    _require_supporter(supporter)
    _check_kind(profile_for(supporter=supporter), kind)
    if end_time <= start_time:
        raise DomainError(_("The end time must be after the start time."), field="end_time")
    rule = WeeklyHours(supporter_id=supporter.id, kind=SupportKind(kind), weekday=weekday, start_time=start_time,
                       end_time=end_time, capacity=_check_capacity(kind, capacity))
    db.session.add(rule)
    db.session.flush()
    return rule


def add_one_off(*, supporter: User, kind: str, day: date, start_time: time, minutes: int,
                capacity: int = 1, now: datetime | None = None) -> OneOffSession:
    _require_supporter(supporter)
    _check_kind(profile_for(supporter=supporter), kind)
    starts_at = london_to_utc(day, start_time)
    if starts_at is None:
        raise DomainError(_("That time does not exist on that day because the clocks go forward."),
                          field="start_time")
    if starts_at <= (now or utcnow()):
        raise DomainError(_("Choose a time in the future."), field="day")
    session = OneOffSession(supporter_id=supporter.id, kind=SupportKind(kind), starts_at=starts_at,
                            ends_at=starts_at + timedelta(minutes=minutes), capacity=_check_capacity(kind, capacity))
    db.session.add(session)
    db.session.flush()
    return session


def add_exception(*, supporter: User, first_day: date, last_day: date, label: str) -> AvailabilityException:
    _require_supporter(supporter)
    if last_day < first_day:
        raise DomainError(_("The last day must be on or after the first day."), field="last_day")
    exception = AvailabilityException(supporter_id=supporter.id, first_day=first_day, last_day=last_day,
                                      label=label.strip())
    db.session.add(exception)
    db.session.flush()
    return exception


def remove_availability(*, supporter: User, item: WeeklyHours | OneOffSession | AvailabilityException) -> None:
    """Remove one of the supporter's own weekly hours, one-off sessions or days off. Sessions already booked stay
    booked. Raises ``NotFound`` when it is gone already (a second click, another tab)."""
    model = type(item)
    removed = db.session.execute(delete(model).where(model.id == item.id, model.supporter_id == supporter.id)
                                 .execution_options(synchronize_session=False)).rowcount
    if removed != 1:
        raise NotFound(_("That was already removed."))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed_token(*, user: User) -> str:
    """A new secret feed token (shown once); any earlier link stops working."""
    token = secrets.token_urlsafe(24)
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        db.session.add(CalendarFeed(user_id=user.id, token_hash=_hash(token)))
    else:
        feed.token_hash = _hash(token)
        feed.created_at = utcnow()
    record_event("support.calendar_feed_created", actor=user, target=user)
    db.session.flush()
    return token


def revoke_feed(*, user: User) -> None:
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    record_event("support.calendar_feed_revoked", actor=user, target=user)


def user_for_feed_token(*, token: str) -> User | None:
    user = db.session.scalar(select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
                             .where(CalendarFeed.token_hash == _hash(token)))
    return user if user is not None and user.is_active_account else None


def has_feed(*, user: User) -> bool:
    return db.session.get(CalendarFeed, user.id) is not None
