"""The header on a phone: the service name, the bell and a "Menu" button (GOV.UK's collapsed menu), so a page's
heading is the first thing on the screen; without JavaScript the links are simply there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import check_page, make_person, screenshot, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}


def test_on_a_phone_the_menu_folds_away_and_opens_on_request(live_app, page):
    email, password, _ = make_person(live_app, roles=("staff", "hr", "admin", "champion", "panel", "supporter"))
    page.set_viewport_size(PHONE)
    sign_in(page, email, password)
    menu = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Main")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading["y"] < 200  # the page starts near the top, not below a wall of links
    check_page(page)
    screenshot(page, "header-phone-folded")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1, name="Audit log")).to_be_visible()


def test_on_a_wide_screen_there_is_no_menu_button(live_app, page):
    email, password, _ = make_person(live_app)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, email, password)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_without_javascript_a_phone_shows_the_links(live_app, browser, base_url):
    email, password, _ = make_person(live_app)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, base_url=base_url)
    page = context.new_page()
    try:
        sign_in(page, email, password)
        expect(page.get_by_role("link", name="Thanks")).to_be_visible()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    finally:
        context.close()
