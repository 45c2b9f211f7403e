"""The booking journey over HTTP, confidentiality route by route, calendar feeds and the supervision record."""

import csv
import io
import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from portal.common.audit import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.support.models import BOOKABLE_KINDS, Booking, BookingStatus, SupportKind, WeeklyHours
from portal.support.services import book_slot
from tests.factories import UserFactory
from tests.support.factories import key, london, make_supporter, weekly

pytestmark = pytest.mark.usefixtures("app_ctx")
SECRET = "Caller said he would end his life tonight"


def soon_day():
    return (utcnow() + timedelta(days=3)).date()


@pytest.fixture
def supporter():
    profile = make_supporter()
    weekly(profile, weekday=soon_day().weekday(), start="09:00", end="12:00")
    return profile


@pytest.fixture
def booking(supporter):
    return book_slot(booker=UserFactory(), supporter_id=supporter.user_id, kind="clinical_supervision",
                     starts_at=london(soon_day(), "09:00"), idempotency_key=key(), reason=SECRET)


def form(profile, starts_at, **extra):
    return {"supporter_id": str(profile.user_id), "kind": "clinical_supervision",
            "start": starts_at.strftime("%Y-%m-%dT%H:%MZ"), "meeting_mode": "room", **extra}


def test_book_support_starts_with_a_choice_of_kind(as_user):
    page = as_user(UserFactory()).get("/support/book").get_data(as_text=True)
    for kind in BOOKABLE_KINDS:
        assert kind.label in page and f"kind={kind.value}" in page
    # De-briefs and mentoring each have one route: the chooser leads there instead of to times to book.
    assert "kind=debrief" not in page and "kind=mentoring" not in page
    assert 'href="/debriefs/new"' in page and 'href="/mentoring"' in page


def test_links_to_book_a_debrief_or_mentoring_lead_to_their_own_routes(as_user, supporter):
    client = as_user(UserFactory())
    assert client.get("/support/book?kind=debrief").headers["Location"] == "/debriefs/new"
    assert client.get("/support/book?kind=mentoring").headers["Location"] == "/mentoring"
    assert client.get("/support/book/confirm", query_string=form(supporter, london(soon_day(), "09:00"),
                                                                 kind="debrief")).headers["Location"] == "/debriefs/new"
    # With one's mentor chosen (the link on the mentoring page), mentoring times are listed.
    weekly(supporter, weekday=soon_day().weekday(), start="15:00", end="16:00", kind=SupportKind.MENTORING)
    page = client.get(f"/support/book?kind=mentoring&supporter={supporter.user_id}").get_data(as_text=True)
    assert "kind=mentoring" in page and "/support/book/confirm?" in page
    # Every open time, with no kind chosen, lists bookable kinds only.
    listed = client.get("/support/book?all=1").get_data(as_text=True)
    assert "kind=clinical_supervision" in listed and "kind=mentoring" not in listed


def test_open_times_are_grouped_by_day_and_htmx_gets_only_the_results(as_user, supporter):
    client = as_user(UserFactory())
    full = client.get("/support/book?kind=clinical_supervision")
    page = full.get_data(as_text=True)
    assert full.status_code == 200 and "<h1>" in page
    assert page.count('href="/support/book/confirm?') >= 3 and supporter.user.display_name in page
    fragment = client.get("/support/book?kind=clinical_supervision", headers={"HX-Request": "true"})
    assert "<h1>" not in fragment.get_data(as_text=True) and "/support/book/confirm?" in fragment.get_data(
        as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    none = client.get("/support/book?kind=restorative_supervision").get_data(as_text=True)
    assert "No open times match." in none


def test_open_times_query_count_does_not_grow_with_supporters(as_user, count_queries):
    client = as_user(UserFactory())

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/support/book?kind=clinical_supervision").status_code == 200
        return counter.count

    for _ in range(2):
        weekly(make_supporter(), weekday=soon_day().weekday(), start="09:00", end="12:00")
    few = queries()
    for _ in range(6):
        weekly(make_supporter(), weekday=soon_day().weekday(), start="09:00", end="12:00")
    assert queries() == few


def test_confirm_page_books_once_and_says_confirmed(as_user, supporter):
    staff = UserFactory()
    client = as_user(staff)
    start = london(soon_day(), "10:00")
    page = client.get("/support/book/confirm", query_string=form(supporter, start)).get_data(as_text=True)
    assert "Only you and your supporter will see this." in page and 'name="idempotency_key"' in page
    data = form(supporter, start, idempotency_key=key(), reason=SECRET)
    first = client.post("/support/book/confirm", data=data)
    second = client.post("/support/book/confirm", data=data)  # the double click
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Booking).where(Booking.booker_id == staff.id)) == 1
    shown = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Confirmed" in shown and SECRET in shown


def test_needs_confirmation_says_waiting_and_appears_in_the_queue_and_waiting_for_you(as_user):
    profile = make_supporter(needs_confirmation=True)
    weekly(profile, weekday=soon_day().weekday(), start="09:00", end="10:00")
    client = as_user(UserFactory())
    response = client.post("/support/book/confirm", data=form(profile, london(soon_day(), "09:00"),
                                                                idempotency_key=key()))
    assert "Waiting for the supporter to confirm" in client.get(response.headers["Location"]).get_data(as_text=True)
    supporter_client = as_user(profile.user)
    assert "Bookings to confirm" in supporter_client.get("/").get_data(as_text=True)
    queue = supporter_client.get("/support/queue").get_data(as_text=True)
    booking = db.session.scalar(select(Booking))
    assert f"/support/bookings/{booking.id}/confirm" in queue
    assert supporter_client.post(f"/support/bookings/{booking.id}/confirm").status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED


def test_a_taken_time_answers_with_the_next_three(as_user, supporter, booking):
    page = as_user(UserFactory()).post("/support/book/confirm", data=form(
        supporter, booking.starts_at, idempotency_key=key()))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "This time was just taken" in text
    assert text.count('href="/support/book/confirm?') == 3


def test_over_the_limit_shows_the_reason_on_the_form(app, as_user, supporter, monkeypatch):
    monkeypatch.setitem(app.config, "SUPPORT_MAX_FUTURE_BOOKINGS", 0)
    response = as_user(UserFactory()).post("/support/book/confirm", data=form(
        supporter, london(soon_day(), "10:00"), idempotency_key=key()))
    assert response.status_code == 200 and "Cancel one" in response.get_data(as_text=True)


def test_cancel_and_reschedule_through_the_pages(as_user, supporter, booking):
    client = as_user(booking.booker)
    choose = client.get(f"/support/bookings/{booking.id}/reschedule").get_data(as_text=True)
    assert f"/support/bookings/{booking.id}/reschedule?start=" in choose
    new_start = london(soon_day(), "11:00").strftime("%Y-%m-%dT%H:%MZ")
    moved = client.post(f"/support/bookings/{booking.id}/reschedule",
                        data={"start": new_start, "idempotency_key": key(), "reason": "Clinic moved"})
    assert moved.status_code == 303
    db.session.expire_all()
    new = db.session.scalar(select(Booking).where(Booking.rescheduled_from_id == booking.id))
    assert new.status == BookingStatus.CONFIRMED
    assert client.post(f"/support/bookings/{new.id}/cancel", data={"reason": "Off sick"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, new.id).status == BookingStatus.CANCELLED


@pytest.mark.parametrize("who", ["hr", "admin", "other_staff", "other_supporter"])
def test_nobody_else_sees_a_booking_on_any_page(as_user, booking, who):
    outsider = {"hr": lambda: UserFactory(hr=True), "admin": lambda: UserFactory(admin=True),
                "other_staff": UserFactory, "other_supporter": lambda: UserFactory(supporter=True)}[who]()
    client = as_user(outsider)
    base = f"/support/bookings/{booking.id}"
    for path in (base, f"{base}/cancel", f"{base}/reschedule"):
        assert client.get(path).status_code == 404, path
    for path in (f"{base}/cancel", f"{base}/reschedule", f"{base}/confirm", f"{base}/accept", f"{base}/attendance",
                 f"{base}/reflections", f"{base}/notes"):
        assert client.post(path, data={"reason": "x", "reflections": "x", "session_notes": "x"}).status_code == 404, \
            path
    for path in ("/support", "/support/book?kind=clinical_supervision", "/support/queue", "/support/record.csv",
                 "/", "/admin/audit", "/admin/emails", "/notifications"):
        response = client.get(path)
        assert SECRET not in response.get_data(as_text=True), path
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.CONFIRMED


def test_every_read_of_a_booking_is_audited_without_its_text(as_user, booking):
    def reads() -> list[AuditEvent]:
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "support.confidential_read",
                                                                AuditEvent.target_id == str(booking.id))))

    as_user(booking.booker).get(f"/support/bookings/{booking.id}")
    as_user(booking.supporter).get(f"/support/bookings/{booking.id}")
    events = reads()
    assert {e.actor_id for e in events} == {booking.booker_id, booking.supporter_id}
    assert all(SECRET not in str(e.details) for e in events)


def test_supervision_record_is_the_persons_own_with_reflections(as_user, booking):
    booking.status = BookingStatus.ATTENDED
    booking.reflections = "=I noticed I rush endings"
    db.session.flush()
    other = book_slot(booker=UserFactory(), supporter_id=booking.supporter_id, kind="clinical_supervision",
                      starts_at=booking.starts_at + timedelta(hours=1), idempotency_key=key())
    other.status, other.reflections = BookingStatus.ATTENDED, "Someone else's thoughts"
    db.session.flush()
    response = as_user(booking.booker).get("/support/record.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv" and len(rows) == 2
    assert rows[1][1:] == ["1:1 clinical supervision", booking.supporter.display_name, "50",
                           "'=I noticed I rush endings"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "support.record_downloaded",
                                                      AuditEvent.actor_id == booking.booker_id))


def test_calendar_feed_with_a_secret_token_that_can_be_revoked(as_user, client, booking):
    owner = as_user(booking.booker)
    page = owner.post("/support/calendar").get_data(as_text=True)
    path = re.search(r'value="https?://[^/"]+(/support/calendar/[^"]+\.ics)"', page).group(1)
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = Calendar.from_ical(feed.data).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [booking.calendar_uid]
    assert SECRET.encode() not in feed.data
    assert client.get("/support/calendar/not-the-token.ics").status_code == 404
    owner.post("/support/calendar/revoke")
    assert client.get(path).status_code == 404


def test_supporters_set_their_profile_and_availability(as_user):
    person = UserFactory(supporter=True)
    client = as_user(person)
    assert client.get("/support/profile").status_code == 200
    saved = client.post("/support/profile", data={
        "kinds": ["clinical_supervision", "group_supervision"], "about": "Twenty years in PALS",
        "meeting_modes": ["room"], "room": "Room 2", "mentee_capacity": "3", "slot_minutes": "50",
        "buffer_minutes": "10", "min_notice_hours": "12", "horizon_days": "28", "is_accepting": "y"})
    assert saved.status_code == 303
    bad = client.post("/support/availability/weekly", data={
        "weekly-kind": "clinical_supervision", "weekly-weekday": "1", "weekly-start_time": "12:00",
        "weekly-end_time": "09:00"})
    assert bad.status_code == 200 and "The end time must be after the start time." in bad.get_data(as_text=True)
    wrong_kind = client.post("/support/availability/weekly", data={
        "weekly-kind": "debrief", "weekly-weekday": "1", "weekly-start_time": "09:00", "weekly-end_time": "12:00"})
    assert wrong_kind.status_code == 200
    assert db.session.scalar(select(WeeklyHours).where(WeeklyHours.kind == "debrief")) is None
    ok = client.post("/support/availability/weekly", data={
        "weekly-kind": "clinical_supervision", "weekly-weekday": "1", "weekly-start_time": "09:00",
        "weekly-end_time": "12:00"})
    assert ok.status_code == 303
    rule = db.session.scalar(select(WeeklyHours).where(WeeklyHours.supporter_id == person.id))
    assert "Tuesday, 09:00–12:00" in client.get("/support/availability").get_data(as_text=True)
    assert client.post(f"/support/availability/weekly/{rule.id}/remove").status_code == 303


def test_staff_cannot_reach_supporter_pages(as_user):
    client = as_user(UserFactory())
    for path in ("/support/profile", "/support/availability", "/support/queue"):
        assert client.get(path).status_code == 403


def test_the_supporter_records_attendance(as_user, booking):
    booking.starts_at = utcnow() - timedelta(minutes=5)
    db.session.flush()
    # Attendance is the supporter's to record: to the booker the address does not exist.
    assert as_user(booking.booker).post(f"/support/bookings/{booking.id}/attendance",
                                        data={"attended": "yes"}).status_code == 404
    client = as_user(booking.supporter)
    assert "Did they attend?" in client.get("/support/queue").get_data(as_text=True)
    assert client.post(f"/support/bookings/{booking.id}/attendance", data={"attended": "no"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.NO_SHOW


def test_join_the_waiting_list_and_take_a_freed_place(as_user):
    profile = make_supporter()
    weekly(profile, weekday=soon_day().weekday(), start="14:00", end="15:00", kind=SupportKind.GROUP, capacity=2)
    start = london(soon_day(), "14:00")
    taken, _other = (book_slot(booker=UserFactory(), supporter_id=profile.user_id, kind="group_supervision",
                               starts_at=start, idempotency_key=key()) for _ in range(2))
    waiting = UserFactory()
    client = as_user(waiting)
    listing = client.get("/support/book?kind=group_supervision").get_data(as_text=True)
    assert "full: join the waiting list" in listing
    slot = {"supporter_id": str(profile.user_id), "kind": "group_supervision",
            "start": start.strftime("%Y-%m-%dT%H:%MZ")}
    assert client.post("/support/waitlist", data=slot).status_code == 303
    as_user(taken.booker).post(f"/support/bookings/{taken.id}/cancel", data={"reason": "Clinic"})
    db.session.expire_all()
    offer = db.session.scalar(select(Booking).where(Booking.booker_id == waiting.id))
    page = client.get(f"/support/bookings/{offer.id}").get_data(as_text=True)
    assert "A place has come up" in page and "Take the place" in page
    assert client.post(f"/support/bookings/{offer.id}/accept").status_code == 303
    db.session.expire_all()
    assert db.session.get(Booking, offer.id).status == BookingStatus.CONFIRMED
    assert "Past, moved and cancelled sessions" in as_user(taken.booker).get("/support").get_data(as_text=True)


def test_session_notes_are_the_supporters_and_shown_to_the_booker_only(as_user, booking):
    assert as_user(booking.booker).post(f"/support/bookings/{booking.id}/notes",
                                        data={"session_notes": "x"}).status_code == 404
    saved = as_user(booking.supporter).post(f"/support/bookings/{booking.id}/notes",
                                            data={"session_notes": "Agreed to try the grounding exercise"})
    assert saved.status_code == 303
    page = as_user(booking.booker).get(f"/support/bookings/{booking.id}").get_data(as_text=True)
    assert "Agreed to try the grounding exercise" in page
    assert "Agreed to try" not in as_user(UserFactory(hr=True)).get(f"/support/bookings/{booking.id}").get_data(
        as_text=True)


def test_queue_and_support_pages_cost_the_same_with_more_bookings(as_user, count_queries):
    profile = make_supporter()
    weekly(profile, weekday=soon_day().weekday(), start="08:00", end="18:00")
    booker = UserFactory()

    def add(n: int, hour: int) -> None:
        for i in range(n):
            book_slot(booker=booker if i == 0 else UserFactory(), supporter_id=profile.user_id,
                      kind="clinical_supervision", starts_at=london(soon_day(), f"{hour + i:02d}:00"),
                      idempotency_key=key())

    def queries(client, path: str) -> int:
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return counter.count

    supporter_client, booker_client = as_user(profile.user), as_user(booker)
    add(2, 8)
    few = (queries(supporter_client, "/support/queue"), queries(booker_client, "/support"))
    add(5, 10)
    assert (queries(supporter_client, "/support/queue"), queries(booker_client, "/support")) == few


def test_show_later_times_continues_after_the_last_one_shown(as_user):
    profile = make_supporter()
    for weekday in range(7):
        weekly(profile, weekday=weekday, start="08:00", end="18:00")
    client = as_user(UserFactory())
    page = client.get("/support/book?kind=clinical_supervision").get_data(as_text=True)
    later = re.search(r'<a href="(/support/book\?[^"]*after=[^"]+)">Show later times', page).group(1)
    starts = re.findall(r"start=(\d{4}-\d\d-\d\dT\d\d:\d\dZ)", page)
    next_page = client.get(later.replace("&amp;", "&")).get_data(as_text=True)
    next_starts = re.findall(r"start=(\d{4}-\d\d-\d\dT\d\d:\d\dZ)", next_page)
    assert len(starts) == 30 and next_starts and min(next_starts) > max(starts)
