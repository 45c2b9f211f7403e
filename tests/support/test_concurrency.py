"""Real concurrent requests on separate connections (committed data): the database, not Python, decides.

On PostgreSQL the exclusion constraint and the conditional UPDATE do the work; on SQLite the serialized write path.
"""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db
from portal.support.models import Booking, SupportKind, SupportSession
from portal.support.services import book_slot
from tests.conftest import sign_in
from tests.databases import on_postgres
from tests.factories import UserFactory
from tests.support.factories import key, london, make_supporter, one_off, weekly

pytestmark = pytest.mark.committed
PEOPLE = 100 if on_postgres() else 30


def people(app, count: int) -> list[int]:
    with app.app_context():
        users = [UserFactory() for _ in range(count)]
        db.session.commit()
        return [u.id for u in users]


def client_for(app, user_id: int):
    from portal.auth.models import User

    with app.app_context():
        return sign_in(app.test_client(), db.session.get(User, user_id))


def post_all(app, requests: list[tuple[int, dict]]) -> list:
    """Each (user id, form) posted to the booking confirm page from its own thread, all released at once."""
    clients = [(client_for(app, user_id), form) for user_id, form in requests]
    tokens = [client.csrf_token() for client, _form in clients]
    start = threading.Barrier(len(clients))
    responses: list = [None] * len(clients)

    def run(i: int) -> None:
        client, form = clients[i]
        start.wait()
        try:
            responses[i] = client.post("/support/book/confirm", data={**form, "csrf_token": tokens[i]})
        except Exception as error:  # noqa: BLE001 - recorded and asserted on below
            responses[i] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


def form_for(profile_id: int, kind, starts_at) -> dict:
    return {"supporter_id": str(profile_id), "kind": str(kind), "start": starts_at.strftime("%Y-%m-%dT%H:%MZ"),
            "idempotency_key": key(), "meeting_mode": "room"}


def a_day_ahead():
    return (utcnow() + timedelta(days=3)).date()


def test_many_people_book_the_last_group_place_at_once(committed_app):
    app = committed_app
    day = a_day_ahead()
    with app.app_context():
        profile = make_supporter()
        weekly(profile, weekday=day.weekday(), start="13:00", end="14:00", kind=SupportKind.GROUP, capacity=5)
        weekly(profile, weekday=day.weekday(), start="15:00", end="18:00", kind=SupportKind.GROUP, capacity=5)
        start = london(day, "13:00")
        for _ in range(4):
            book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind="group_supervision", starts_at=start,
                      idempotency_key=key())
        db.session.commit()
        supporter_id = profile.user_id
    responses = post_all(app, [(uid, form_for(supporter_id, SupportKind.GROUP, start))
                               for uid in people(app, PEOPLE)])
    assert not [r for r in responses if isinstance(r, Exception)]
    winners = [r for r in responses if r.status_code == 303]
    losers = [r for r in responses if r.status_code == 200]
    assert len(winners) == 1 and len(losers) == PEOPLE - 1
    for response in losers:
        page = response.get_data(as_text=True)
        assert "This time was just taken" in page
        assert len(re.findall(r'href="/support/book/confirm\?', page)) == 3  # the next three open times
    with app.app_context():
        session = db.session.scalar(select(SupportSession).where(SupportSession.supporter_id == supporter_id,
                                                                 SupportSession.starts_at == start))
        assert (session.booked_count, session.capacity) == (5, 5)
        assert db.session.scalar(select(func.count()).select_from(Booking)
                                 .where(Booking.session_id == session.id)) == 5


def test_overlapping_one_off_and_weekly_slots_cannot_both_be_booked_at_once(committed_app):
    app = committed_app
    day = a_day_ahead()
    with app.app_context():
        profile = make_supporter()
        weekly(profile, weekday=day.weekday(), start="09:00", end="10:00")
        clash = one_off(profile, starts_at=london(day, "09:30"), minutes=60)
        db.session.commit()
        supporter_id, weekly_start, one_off_start = profile.user_id, london(day, "09:00"), clash.starts_at
    users = people(app, 20)
    requests = [(uid, form_for(supporter_id, SupportKind.CLINICAL, weekly_start if i % 2 else one_off_start))
                for i, uid in enumerate(users)]
    responses = post_all(app, requests)
    assert not [r for r in responses if isinstance(r, Exception)]
    assert sorted(r.status_code for r in responses) == [200] * 19 + [303]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking)
                                 .where(Booking.supporter_id == supporter_id)) == 1


def test_a_double_submitted_booking_creates_one_booking(committed_app):
    app = committed_app
    day = a_day_ahead()
    with app.app_context():
        profile = make_supporter()
        weekly(profile, weekday=day.weekday(), start="11:00", end="12:00")
        db.session.commit()
        supporter_id, start = profile.user_id, london(day, "11:00")
    [user_id] = people(app, 1)
    form = form_for(supporter_id, SupportKind.CLINICAL, start)
    responses = post_all(app, [(user_id, form) for _ in range(8)])
    assert not [r for r in responses if isinstance(r, Exception)]
    assert {r.status_code for r in responses} == {303}
    assert len({r.headers["Location"] for r in responses}) == 1  # every click lands on the same booking
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking)
                                 .where(Booking.booker_id == user_id)) == 1


@pytest.mark.postgres_only  # PostgreSQL's exclusion constraint
def test_the_database_itself_refuses_overlapping_sessions(committed_app):
    from sqlalchemy.exc import IntegrityError

    app = committed_app
    with app.app_context():
        profile = make_supporter()
        db.session.commit()
        start = utcnow() + timedelta(days=2)
        db.session.add(SupportSession(supporter_id=profile.user_id, kind="clinical_supervision", starts_at=start,
                                      ends_at=start + timedelta(minutes=50), booked_count=1))
        db.session.commit()
        db.session.add(SupportSession(supporter_id=profile.user_id, kind="clinical_supervision",
                                      starts_at=start + timedelta(minutes=30), ends_at=start + timedelta(minutes=80),
                                      booked_count=1))
        with pytest.raises(IntegrityError, match="ex_support_session_no_overlap"):
            db.session.commit()
        db.session.rollback()


def test_ten_people_take_the_ten_places_of_a_group_session_nobody_had_booked(committed_app):
    """Each of them finds no session yet; all but one lose the race to create it, and take a place in it instead."""
    app = committed_app
    day = a_day_ahead()
    with app.app_context():
        profile = make_supporter()
        weekly(profile, weekday=day.weekday(), start="10:00", end="11:00", kind=SupportKind.GROUP, capacity=10)
        db.session.commit()
        supporter_id, start = profile.user_id, london(day, "10:00")
    responses = post_all(app, [(uid, form_for(supporter_id, SupportKind.GROUP, start)) for uid in people(app, 10)])
    assert not [r for r in responses if isinstance(r, Exception)]
    assert [r.status_code for r in responses] == [303] * 10
    with app.app_context():
        [session] = db.session.scalars(select(SupportSession).where(SupportSession.supporter_id == supporter_id))
        assert (session.booked_count, session.capacity) == (10, 10)


def test_a_full_group_session_offers_its_waiting_list_to_whoever_was_too_late(committed_app):
    app = committed_app
    day = a_day_ahead()
    with app.app_context():
        profile = make_supporter()
        weekly(profile, weekday=day.weekday(), start="16:00", end="17:00", kind=SupportKind.GROUP, capacity=2)
        db.session.commit()
        supporter_id, start = profile.user_id, london(day, "16:00")
    responses = post_all(app, [(uid, form_for(supporter_id, SupportKind.GROUP, start)) for uid in people(app, 3)])
    [too_late] = [r for r in responses if r.status_code == 200]
    page = too_late.get_data(as_text=True)
    assert "Every place in the group session" in page and "Join the waiting list" in page


def test_eight_bookings_at_once_cannot_beat_a_limit_of_four(committed_app, monkeypatch):
    app = committed_app
    monkeypatch.setitem(app.config, "SUPPORT_MAX_FUTURE_BOOKINGS", 4)
    day = a_day_ahead()
    with app.app_context():
        profiles = [make_supporter() for _ in range(8)]
        for profile in profiles:
            weekly(profile, weekday=day.weekday(), start="12:00", end="13:00")
        db.session.commit()
        supporter_ids, start = [p.user_id for p in profiles], london(day, "12:00")
    [user_id] = people(app, 1)
    responses = post_all(app, [(user_id, form_for(sid, SupportKind.CLINICAL, start)) for sid in supporter_ids])
    assert not [r for r in responses if isinstance(r, Exception)]
    assert sorted(r.status_code for r in responses) == [200] * 4 + [303] * 4
    refused = [r.get_data(as_text=True) for r in responses if r.status_code == 200]
    assert all("You already have 4 sessions booked" in page for page in refused)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking).where(Booking.booker_id == user_id)) == 4
