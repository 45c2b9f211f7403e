"""The audit log page (filters, keyset pages, constant queries) and the database's append-only guard."""

import html as html_lib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from portal.admin.audit_queries import london_day_bounds
from portal.common.audit import AuditEvent
from portal.extensions import db
from portal.org.services import ensure_unit_path
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")

BASE = datetime(2024, 6, 10, 9, 0, tzinfo=UTC)


def add_event(action="user.updated", *, at=BASE, actor=None, target_type=None, target_id=None, **details):
    event = AuditEvent(action=action, occurred_at=at, actor_id=actor.id if actor else None, target_type=target_type,
                       target_id=None if target_id is None else str(target_id), ip="10.0.0.7", details=details)
    db.session.add(event)
    db.session.flush()
    return event


@pytest.fixture
def admin_user():
    return UserFactory(admin=True, display_name="Ada Admin", email="ada@example.nhs.uk",
                       unit=ensure_unit_path("Trust/IT"))


@pytest.fixture
def admin(as_user, admin_user):
    return as_user(admin_user)


def rows(html: str) -> list[str]:
    """The text of each event row, in order."""
    body = re.search(r"<tbody>(.*)</tbody>", html, re.S)
    found = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in found if "Show more" not in row]


def field_error(html: str, field_id: str) -> str | None:
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', html, re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", match.group(1)).replace("Error:", "").strip()) if match else None


def test_audit_log_is_for_administrators_only(as_user, client):
    assert as_user(UserFactory(hr=True)).get("/admin/audit").status_code == 403
    assert client.get("/admin/audit").status_code == 302


def test_newest_first_with_who_what_target_when_ip_and_details(admin, admin_user):
    person = UserFactory(display_name="Priya Shah")
    unit = ensure_unit_path("Trust/PALS")
    add_event("user.created", at=BASE, actor=admin_user, target_type="user_account", target_id=person.id,
              roles=["champion", "staff"])
    add_event("unit.renamed", at=BASE + timedelta(hours=1), actor=admin_user, target_type="unit", target_id=unit.id,
              old_name="Advice", name="PALS")
    add_event("recognition.something_new", at=BASE + timedelta(hours=2), target_type="thanks", target_id=7)
    # Only June 2024: setting up the people and units wrote events of its own, dated today.
    html = admin.get("/admin/audit?date_to=2024-06-30").get_data(as_text=True)
    first, second, third = rows(html)
    assert first.startswith("Mon 10 Jun 2024, 12:00 No one signed in")
    assert "recognition.something_new thanks 7" in first
    assert "Renamed a unit PALS unit " + str(unit.id) in second and "unit.renamed" not in second  # words, not codes
    assert "old name: Advice" in second and "name: PALS" in second
    assert "Mon 10 Jun 2024, 10:00 Ada Admin ada@example.nhs.uk Added a person Priya Shah" in third
    assert "10.0.0.7" in third and "roles: champion, staff" in third


def test_filters_by_action_actor_target_and_dates(admin, admin_user):
    other = UserFactory(email="bob.other@example.nhs.uk")
    add_event("user.created", at=BASE, actor=admin_user, target_type="user_account", target_id=1, n=1)
    add_event("user.updated", at=BASE, actor=other, target_type="user_account", target_id=2, n=2)
    add_event("unit.moved", at=BASE - timedelta(days=3), actor=admin_user, target_type="unit", target_id=3, n=3)

    def shown(**args) -> list[str]:
        html = admin.get("/admin/audit", query_string=args).get_data(as_text=True)
        return sorted(re.findall(r"\bn: (\d)", html))

    assert shown() == ["1", "2", "3"]
    assert shown(action="user.updated") == ["2"]
    assert shown(actor="BOB.other") == ["2"]
    assert shown(actor="ada@") == ["1", "3"]
    assert shown(target_type="unit") == ["3"]
    assert shown(target_type="user_account", target_id="1") == ["1"]
    assert shown(date_from="2024-06-10") == ["1", "2"]
    assert shown(date_to="2024-06-07") == ["3"]
    assert shown(date_from="2024-06-07", date_to="2024-06-07") == ["3"]
    assert shown(date_from="2024-06-08", date_to="2024-06-09") == []


def test_action_select_lists_the_actions_the_features_named_but_not_the_confidential_ones(admin):
    html = admin.get("/admin/audit").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*id="action".*?</select>', html, re.S).group(0)
    assert '<option value="user.deactivated">Deactivated a person</option>' in select_html
    assert '<option value="recognition.thanked">Said thank you</option>' in select_html
    assert "debrief.requested" not in select_html and "mentoring.requested" not in select_html


def test_who_asked_for_peer_support_is_never_listed_to_administrators(admin, admin_user):
    asker = UserFactory(display_name="Priya Shah")
    add_event("debrief.requested", actor=asker)
    add_event("support.booking_created", actor=asker)
    add_event("user.deactivated", actor=admin_user)
    html = admin.get("/admin/audit").get_data(as_text=True)
    assert "Deactivated a person" in html
    assert "Priya Shah" not in html and "Asked for a de-brief" not in html and "Booked a support" not in html
    assert admin.get("/admin/audit?action=debrief.requested").status_code == 200
    assert "Priya Shah" not in admin.get("/admin/audit?action=debrief.requested").get_data(as_text=True)


def test_date_filters_use_london_days():
    # In summer London is an hour ahead of UTC, so its day starts at 23:00 UTC the evening before.
    start, end = london_day_bounds(date(2024, 6, 10))
    assert (start, end) == (datetime(2024, 6, 9, 23, tzinfo=UTC), datetime(2024, 6, 10, 23, tzinfo=UTC))
    # The day the clocks go forward has 23 hours.
    start, end = london_day_bounds(date(2024, 3, 31))
    assert end - start == timedelta(hours=23)


def test_an_event_just_after_midnight_in_london_belongs_to_that_day(admin):
    add_event(at=datetime(2024, 6, 9, 23, 30, tzinfo=UTC), marker="late")  # 00:30 on 10 June in London
    html = admin.get("/admin/audit?date_from=2024-06-10&date_to=2024-06-10").get_data(as_text=True)
    assert "marker: late" in html
    html = admin.get("/admin/audit?date_to=2024-06-09").get_data(as_text=True)
    assert "marker: late" not in html


@pytest.mark.parametrize(("args", "field", "message"), [
    ({"date_from": "10/06/2024"}, "date_from", "Enter a real date, like 2024-12-03"),
    ({"date_to": "2024-02-30"}, "date_to", "Enter a real date, like 2024-12-03"),
    ({"date_from": "0001-01-01"}, "date_from", "Enter a real date, like 2024-12-03"),
    ({"date_from": "2024-06-10", "date_to": "2024-06-01"}, "date_to",
     "The 'to' date must be the same as or after the 'from' date"),
])
def test_invalid_dates_get_a_message_next_to_the_field(admin, args, field, message):
    add_event(marker="still-shown")
    response = admin.get("/admin/audit", query_string=args)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(html, field) == message
    assert "<title>Error: Audit log" in html
    assert f'href="#{field}"' in html  # the error summary links to the field


def test_an_invalid_date_is_left_out_but_other_filters_still_apply(admin):
    add_event("user.created", marker="kept")
    add_event("user.updated", marker="filtered-out")
    html = admin.get("/admin/audit?action=user.created&date_from=nonsense").get_data(as_text=True)
    assert "marker: kept" in html and "filtered-out" not in html


def test_keyset_pages_with_show_more(admin, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    for n in range(7):
        add_event("user.updated", at=BASE + timedelta(minutes=n), seq=n)
    # Two events in the same instant are ordered by id.
    add_event("user.updated", at=BASE + timedelta(minutes=6), seq=7)
    seen, url = [], "/admin/audit?action=user.updated"
    while url:
        html = admin.get(url).get_data(as_text=True)
        seen.extend(int(n) for n in re.findall(r"seq: (\d)", html))
        more = re.search(r'<a href="([^"]+)"[^>]*>Show more</a>', html)
        url = more.group(1).replace("&amp;", "&") if more else None
        if url:
            assert "action=user.updated" in url and "cursor=" in url
    assert seen == [7, 6, 5, 4, 3, 2, 1, 0]


def test_show_more_with_htmx_returns_only_rows(admin, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(5):
        add_event(at=BASE + timedelta(minutes=n), seq=n)
    first = admin.get("/admin/audit?action=user.updated").get_data(as_text=True)
    more_url = re.search(r'hx-get="([^"]+)"[^>]*>Show more', first).group(1).replace("&amp;", "&")
    fragment = admin.get(more_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "<table" not in fragment
    assert re.findall(r"seq: (\d)", fragment) == ["2", "1"]
    assert "Show more" in fragment


def test_live_filter_returns_results_or_the_whole_region(admin):
    add_event("user.created", marker="one")
    results = admin.get("/admin/audit?actor=zzz", headers={"HX-Request": "true", "HX-Target": "audit-results"})
    html = results.get_data(as_text=True)
    assert "<form" not in html and "No events match these filters." in html
    region = admin.get("/admin/audit?date_from=bad", headers={"HX-Request": "true", "HX-Target": "audit-region"})
    html = region.get_data(as_text=True)
    assert "<html" not in html and '<form method="get"' in html
    assert field_error(html, "date_from") == "Enter a real date, like 2024-12-03"
    assert "HX-Request" in results.headers["Vary"]


def test_query_count_does_not_grow_with_the_page_size(admin, app, monkeypatch, count_queries):
    people = UserFactory.create_batch(6)
    units = [ensure_unit_path(f"Trust/Team {n}") for n in range(4)]
    for n in range(50):
        actor = people[n % len(people)]
        add_event("user.updated", at=BASE + timedelta(minutes=n), actor=actor, target_type="user_account",
                  target_id=people[(n + 1) % len(people)].id)
        add_event("unit.renamed", at=BASE + timedelta(minutes=n, seconds=1), actor=actor, target_type="unit",
                  target_id=units[n % len(units)].id)
    db.session.flush()
    url = "/admin/audit?date_to=2024-06-30"
    admin.get(url)  # warm up: the first request loads what every request loads once
    counts = {}
    for size in (2, 40):
        monkeypatch.setitem(app.config, "PAGE_SIZE", size)
        with count_queries() as counter:
            html = admin.get(url).get_data(as_text=True)
        assert len(rows(html)) == size
        assert "Team " in html and "Person " in html  # unit and person targets are named on both pages
        counts[size] = counter.count
    assert counts[2] == counts[40]


# --- append-only, enforced by the database --------------------------------------------------------------------

@pytest.mark.parametrize("statement", ["update", "delete"])
def test_audit_rows_cannot_be_changed_or_deleted(statement):
    event = add_event("user.created", marker="original")
    stmt = (update(AuditEvent).where(AuditEvent.id == event.id).values(action="user.forged")
            if statement == "update" else delete(AuditEvent).where(AuditEvent.id == event.id))
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(stmt)
    # The test's own transaction survived the refusal, and the row is as it was.
    db.session.expire_all()
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.id == event.id)) == "user.created"


def test_raw_sql_cannot_rewrite_history_either():
    event = add_event("user.created")
    with pytest.raises(DBAPIError, match="append-only"), db.session.begin_nested():
        db.session.execute(text("UPDATE audit_event SET ip = '1.2.3.4' WHERE id = :id"), {"id": event.id})
    assert db.session.scalar(select(AuditEvent.ip).where(AuditEvent.id == event.id)) == "10.0.0.7"


# --- in a real browser ---------------------------------------------------------------------------------------

@pytest.mark.browser
def test_audit_log_in_a_browser(page, live_app):
    from playwright.sync_api import expect

    from tests.browser_support import check_page, make_person, sign_in

    email, password, _ = make_person(live_app, admin=True, display_name="Audit Admin")
    other_email, other_password, _ = make_person(live_app, display_name="Someone Else")
    sign_in(page, other_email, other_password)  # writes an auth.signed_in event for someone else
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, email, password)
    page.goto("/admin/audit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    check_page(page, "admin-audit")

    # A live filter: typing narrows the results without a page load, and the address follows.
    page.get_by_label("Who (email)").fill(other_email)
    expect(page.locator("#audit-results")).not_to_contain_text("Audit Admin")
    expect(page.locator("#audit-results")).to_contain_text("Someone Else")
    expect(page).to_have_url(re.compile(r"actor="))
    expect(page.get_by_label("Who (email)")).to_be_focused()

    page.goto("/admin/audit?date_from=31/12/2024")
    expect(page.get_by_role("alert")).to_contain_text("Enter a real date, like 2024-12-03")
    check_page(page, "admin-audit-error")


def test_every_audit_action_the_code_records_has_words_for_the_audit_page():
    """The page shows labels, never raw codes like "awards.not_endorsed": each action a feature records must be
    among the labels it contributes."""
    from pathlib import Path

    from portal.common.features import registry

    root = Path(__file__).resolve().parents[2] / "portal"
    recorded = {match for path in root.rglob("*.py")
                for match in re.findall(r'record_event\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8"))}
    assert len(recorded) > 30  # the scan found the calls
    assert sorted(recorded - set(registry().audit_labels)) == []
