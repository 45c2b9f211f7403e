"""Peer support in a real browser: a supporter sets availability; staff book, move and cancel; with and without
JavaScript; axe finds nothing; screenshots at desktop and phone width."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.auth.models import User
from portal.common.roles import Role
from portal.db import utcnow
from portal.extensions import db
from portal.support.forms import WEEKDAYS
from portal.support.models import SupporterProfile
from tests.browser_support import check_page, choose_unit, make_person, sign_in
from tests.factories import UnitFactory
from tests.support.factories import make_supporter, weekly

pytestmark = pytest.mark.browser


def target_day():
    return (utcnow() + timedelta(days=3)).date()


def a_supporter(live_app, name: str, **profile) -> str:
    with live_app.app_context():
        row = make_supporter(about="I have worked in PALS for twelve years and supervise the North team.",
                             **profile)
        row.user.display_name = name
        weekly(row, weekday=target_day().weekday(), start="09:00", end="13:00")
        db.session.commit()
        return row.user.email


def test_a_supporter_sets_their_profile_and_availability(page: Page, live_app):
    email, password, _ = make_person(live_app, display_name="Priya Raman", roles=(Role.STAFF, Role.SUPPORTER))
    sign_in(page, email, password)
    page.goto("/support/profile")
    page.get_by_label("1:1 clinical supervision").check()
    page.get_by_label("Group supervision").check()
    page.get_by_label("In a room").check()
    page.get_by_role("textbox", name="Room").fill("Room 4, Trust HQ")
    page.get_by_role("textbox", name="About you").fill("Clinical psychologist, supervising PALS officers since 2019.")
    check_page(page, "support-profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("When you are available")
    weekly_form = page.locator("form", has=page.get_by_role("button", name="Add weekly hours"))
    weekly_form.get_by_label("Kind of support").select_option("clinical_supervision")
    weekly_form.get_by_label("Day").select_option(str(target_day().weekday()))
    weekly_form.get_by_label("From").fill("09:00")
    weekly_form.get_by_label("Until").fill("12:00")
    weekly_form.get_by_role("button", name="Add weekly hours").click()
    expect(page.get_by_role("status")).to_contain_text("Weekly hours added")
    expect(page.get_by_text(f"{WEEKDAYS[target_day().weekday()]}, 09:00–12:00")).to_be_visible()
    check_page(page, "support-availability")


def book_first_time(page: Page, supporter: str, reason: str) -> None:
    page.goto("/support/book")
    page.get_by_role("link", name="1:1 clinical supervision").click()
    # htmx (a deferred script) must have set up the filter before it changes; a person who is quicker than that
    # presses "Show times" instead.
    page.wait_for_load_state("load")
    page.get_by_label("Supporter").select_option(label=supporter)
    expect(page).to_have_url(re.compile(r"supporter=\d+"), timeout=15_000)  # the filter's htmx request answered
    expect(page.locator("#slot-results a.button").first).to_contain_text(supporter, timeout=15_000)
    page.locator("#slot-results a.button").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and book")
    page.get_by_label("In a room").check()  # this supporter meets in a room or by video: the booker chooses
    page.get_by_label("What would you like to talk about?").fill(reason)


def test_staff_book_move_and_cancel_and_the_supporter_sees_the_queue(browser: Browser, base_url, live_app):
    supporter_email = a_supporter(live_app, "Dr Helen Okafor", needs_confirmation=True)
    email, password, _ = make_person(live_app, display_name="Tom Barker")
    staff = browser.new_context(base_url=base_url).new_page()
    sign_in(staff, email, password)
    staff.goto("/support/book?kind=clinical_supervision")
    expect(staff.locator("#slot-results").get_by_text("Dr Helen Okafor").first).to_be_visible()
    check_page(staff, "support-slots")
    # The filter bar refreshes the list in place (htmx).
    staff.get_by_label("Kind of support").select_option("restorative_supervision")
    expect(staff.get_by_text("No open times match.")).to_be_visible()
    book_first_time(staff, "Dr Helen Okafor", "A caller's death threat has stayed with me")
    check_page(staff, "support-confirm")
    staff.get_by_role("button", name="Book").click()
    expect(staff.get_by_role("status")).to_contain_text("Waiting for the supporter to confirm")
    expect(staff.get_by_text("A caller's death threat has stayed with me")).to_be_visible()
    check_page(staff, "support-booking")

    supporter = browser.new_context(base_url=base_url).new_page()
    sign_in(supporter, supporter_email)
    supporter.goto("/")
    supporter.get_by_role("link", name="Bookings to confirm").click()
    expect(supporter.get_by_role("heading", name="Bookings to confirm")).to_be_visible()
    check_page(supporter, "support-queue")
    supporter.get_by_role("button", name="Confirm").first.click()
    expect(supporter.get_by_role("status")).to_contain_text("Booking confirmed")
    expect(supporter.get_by_text("A caller's death threat has stayed with me")).to_be_visible()
    check_page(supporter, "support-booking-supporter")

    staff.reload()
    with staff.expect_download() as download:  # "Add to calendar": the booking as an .ics file
        staff.get_by_role("link", name="Add to calendar").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert b"LOCATION:In a room: Room 4\\, Trust HQ" in Path(download.value.path()).read_bytes()
    staff.get_by_role("link", name="Move to another time").click()
    check_page(staff, "support-reschedule")
    staff.locator("main section a.button").nth(1).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Check and move")
    check_page(staff, "support-reschedule-check")
    staff.get_by_role("button", name="Move booking").click()  # no reason needed
    expect(staff.get_by_role("status")).to_contain_text("Booking moved")
    staff.get_by_role("link", name="Cancel booking").click()
    check_page(staff, "support-cancel")
    staff.get_by_role("button", name="Cancel booking").click()  # nor here
    expect(staff.get_by_role("status")).to_contain_text("Booking cancelled")
    expect(staff.get_by_text("Moved", exact=True)).to_be_visible()
    expect(staff.get_by_text("Cancelled", exact=True)).to_be_visible()
    check_page(staff, "support-index")


def test_booking_and_cancelling_work_without_javascript(browser: Browser, base_url, live_app):
    a_supporter(live_app, "Gareth Lloyd")
    email, password, _ = make_person(live_app, display_name="Ama Mensah")
    page = browser.new_context(java_script_enabled=False, base_url=base_url).new_page()
    sign_in(page, email, password)
    page.goto("/support/book?kind=clinical_supervision")
    page.get_by_label("Supporter").select_option(label="Gareth Lloyd")
    page.get_by_role("button", name="Show times").click()
    page.locator("#slot-results a.button").first.click()
    page.get_by_label("What would you like to talk about?").fill("Workload after the ward closure")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose how you would like to meet.")
    expect(page.get_by_label("What would you like to talk about?")).to_have_value("Workload after the ward closure")
    page.get_by_label("By video call").check()
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_role("status")).to_contain_text("Confirmed")
    expect(page.get_by_text("Workload after the ward closure")).to_be_visible()
    page.get_by_role("link", name="Cancel booking").click()
    page.get_by_label("Why are you cancelling?").fill("Annual leave")
    page.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_role("status")).to_contain_text("Booking cancelled")


def test_the_second_person_to_click_gets_the_next_times_not_an_error(browser: Browser, base_url, live_app):
    a_supporter(live_app, "Nadia Kowalski")
    pages = []
    for name in ("Ruth Ogden", "Lee Carter"):
        email, password, _ = make_person(live_app, display_name=name)
        page = browser.new_context(base_url=base_url).new_page()
        sign_in(page, email, password)
        book_first_time(page, "Nadia Kowalski", "")
        pages.append(page)
    first, second = pages
    first.get_by_role("button", name="Book").click()
    expect(first.get_by_role("status")).to_contain_text("Confirmed")
    second.get_by_role("button", name="Book").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("This time was just taken")
    expect(second.locator("main a.button")).to_have_count(3)
    check_page(second, "support-taken")


def test_the_reschedule_page_is_short_on_a_phone_and_looks_like_booking(browser: Browser, base_url, live_app):
    """It listed each of thirty times as a card of its own: 4,500 px tall at phone width."""
    supporter_email = a_supporter(live_app, "Sam Patel")
    with live_app.app_context():
        profile = db.session.scalar(select(SupporterProfile).join(SupporterProfile.user)
                                    .where(User.email == supporter_email))
        for offset in range(1, 8):
            day = target_day() + timedelta(days=offset)
            if day.weekday() < 5:
                weekly(profile, weekday=day.weekday(), start="09:00", end="17:00")
        db.session.commit()
    email, password, _ = make_person(live_app, display_name="Jo Hale")
    page = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, email, password)
    book_first_time(page, "Sam Patel", "")
    page.get_by_role("button", name="Book").click()
    page.get_by_role("link", name="Move to another time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move your session")
    page.wait_for_load_state("load")
    assert page.locator("main section a.button").count() >= 25
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2600, f"the reschedule page is {height} px tall on a phone"
    booking_list = page.locator("main section .button-group").first.bounding_box()
    assert booking_list["width"] <= 390
    check_page(page, "support-reschedule-phone")


def test_one_route_each_for_debriefs_and_mentoring_and_hr_sets_bank_holidays(browser: Browser, base_url, live_app):
    email, password, _ = make_person(live_app, display_name="Kim Doyle")
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, email, password)
    page.goto("/support/book")
    check_page(page, "support-book-chooser")
    page.get_by_role("link", name="De-brief after a difficult contact").click()
    expect(page).to_have_url(re.compile(r"/debriefs/new$"))
    page.goto("/support/book")
    page.get_by_role("link", name="Mentoring").last.click()
    expect(page).to_have_url(re.compile(r"/mentoring$"))
    page.goto("/support/book?kind=debrief")  # an old link
    expect(page).to_have_url(re.compile(r"/debriefs/new$"))

    hr_email, hr_password, _ = make_person(live_app, display_name="Harriet Ross", roles=(Role.STAFF, Role.HR),
                                           unit=None)
    hr = browser.new_context(base_url=base_url).new_page()
    sign_in(hr, hr_email, hr_password)
    hr.goto("/")
    hr.get_by_role("link", name="Bank holidays by unit").click()
    expect(hr.get_by_role("heading", level=1)).to_have_text("Bank holidays by unit")
    hr.get_by_role("button", name="Save").click()
    expect(hr.get_by_role("alert")).to_contain_text("Choose a unit")
    unit = f"Bank holiday office {id(hr)}"
    with live_app.app_context():
        UnitFactory(name=unit)
        db.session.commit()
    choose_unit(hr, "unit_id", unit, unit)
    hr.get_by_label("Scotland").check()
    hr.get_by_role("button", name="Save").click()
    expect(hr.get_by_role("status")).to_contain_text("Saved")
    expect(hr.get_by_role("row", name=f"{unit} Scotland", exact=True)).to_be_visible()
    check_page(hr, "support-bank-holidays")
