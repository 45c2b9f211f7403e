"""Supporters' own pages over HTTP: profile, availability (add and remove each kind), queue; calendar links."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db
from portal.support.models import AvailabilityException, CalendarFeed, OneOffSession, SupporterProfile, WeeklyHours
from portal.support.views import profile_modes
from tests.factories import UserFactory
from tests.support.factories import make_supporter, one_off, weekly

pytestmark = pytest.mark.usefixtures("app_ctx")


def profiles() -> int:
    return db.session.scalar(select(func.count()).select_from(SupporterProfile))


def test_reading_the_profile_and_availability_pages_creates_nothing(as_user):
    client = as_user(UserFactory(supporter=True))
    page = client.get("/support/profile").get_data(as_text=True)
    assert 'id="horizon_days"' in page and 'value="28"' in page  # the defaults, from the model
    assert client.get("/support/availability").status_code == 200
    assert profiles() == 0


def test_saving_the_profile_makes_it_and_a_bad_video_link_is_refused(as_user):
    person = UserFactory(supporter=True)
    client = as_user(person)
    values = {"kinds": ["mentoring"], "meeting_modes": ["video"], "mentee_capacity": "2", "slot_minutes": "45",
              "buffer_minutes": "5", "min_notice_hours": "6", "horizon_days": "30"}
    bad = client.post("/support/profile", data={**values, "video_link": "http://meet.example/me"})
    assert bad.status_code == 200 and "starting with https://" in bad.get_data(as_text=True)
    assert profiles() == 0
    assert client.post("/support/profile", data={**values, "video_link": "https://meet.example/me"}).status_code == 303
    saved = db.session.get(SupporterProfile, person.id)
    assert (saved.kinds, saved.slot_minutes, saved.video_link) == (["mentoring"], 45, "https://meet.example/me")


def test_one_off_sessions_and_days_off_are_added_checked_and_removed(as_user):
    profile = make_supporter()
    client = as_user(profile.user)
    next_week = (utcnow() + timedelta(days=7)).date()
    past = client.post("/support/availability/one-off", data={
        "one-off-kind": "clinical_supervision", "one-off-day": "2020-01-06", "one-off-start_time": "10:00",
        "one-off-minutes": "60"})
    assert past.status_code == 200 and "Choose a time in the future." in past.get_data(as_text=True)
    added = client.post("/support/availability/one-off", data={
        "one-off-kind": "clinical_supervision", "one-off-day": next_week.isoformat(),
        "one-off-start_time": "10:00", "one-off-minutes": "60"})
    assert added.status_code == 303
    backwards = client.post("/support/availability/exception", data={
        "days-off-first_day": next_week.isoformat(),
        "days-off-last_day": (next_week - timedelta(days=1)).isoformat()})
    assert backwards.status_code == 200
    assert "The last day must be on or after the first day." in backwards.get_data(as_text=True)
    assert client.post("/support/availability/exception", data={
        "days-off-first_day": next_week.isoformat(), "days-off-last_day": next_week.isoformat(),
        "days-off-label": "Training"}).status_code == 303
    session = db.session.scalar(select(OneOffSession).where(OneOffSession.supporter_id == profile.user_id))
    days_off = db.session.scalar(select(AvailabilityException).where(
        AvailabilityException.supporter_id == profile.user_id))
    session_id, days_off_id = session.id, days_off.id
    page = client.get("/support/availability").get_data(as_text=True)
    assert f"/support/availability/one-off/{session_id}/remove" in page
    assert f"/support/availability/exception/{days_off_id}/remove" in page and "Training" in page
    assert f"{next_week:%a} {next_week.day} {next_week:%b %Y} · Training" in page  # dates written one way
    for path in (f"/support/availability/one-off/{session_id}/remove",
                 f"/support/availability/exception/{days_off_id}/remove"):
        assert client.post(path).status_code == 303
        assert client.post(path).status_code == 404  # the second click: gone
    assert db.session.get(OneOffSession, session_id) is None
    assert db.session.get(AvailabilityException, days_off_id) is None


def test_nobody_removes_another_supporters_availability(as_user):
    profile = make_supporter()
    rule = weekly(profile, weekday=1, start="09:00", end="10:00")
    session = one_off(profile, starts_at=utcnow() + timedelta(days=3))
    other_supporter, staff = as_user(UserFactory(supporter=True)), as_user(UserFactory())
    for path in (f"/support/availability/weekly/{rule.id}/remove",
                 f"/support/availability/one-off/{session.id}/remove"):
        assert other_supporter.post(path).status_code == 403
        assert staff.post(path).status_code == 403
    db.session.expire_all()
    assert db.session.get(WeeklyHours, rule.id) and db.session.get(OneOffSession, session.id)


def test_a_calendar_link_can_be_made_again_and_turned_off(as_user):
    person = UserFactory()
    client = as_user(person)
    assert "Make my calendar link" in client.get("/support/calendar").get_data(as_text=True)
    first = client.post("/support/calendar").get_data(as_text=True)
    first_hash = db.session.get(CalendarFeed, person.id).token_hash
    again = client.post("/support/calendar").get_data(as_text=True)
    db.session.expire_all()
    assert "Copy it now" in first and "Copy it now" in again
    assert db.session.get(CalendarFeed, person.id).token_hash != first_hash  # the old link stops working
    assert "Make a new link" in client.get("/support/calendar").get_data(as_text=True)
    assert client.post("/support/calendar/revoke").status_code == 303
    assert db.session.get(CalendarFeed, person.id) is None


def test_how_a_supporter_meets_people_reads_as_one_line(app):
    with app.test_request_context():
        assert profile_modes(None) == ""
        profile = SupporterProfile(meeting_modes=[], room="", phone="")
        assert profile_modes(profile) == "Your supporter will tell you"
        profile.meeting_modes, profile.room, profile.phone = ["room", "phone", "video"], "Room 4", "0161 555 0100"
        assert profile_modes(profile) == "In a room (Room 4) · By phone (0161 555 0100) · By video call"
