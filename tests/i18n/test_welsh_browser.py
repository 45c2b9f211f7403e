"""Choosing Cymraeg in a real browser: home → the thanks wall → the thank-you form → booking support, each page in
Welsh (lang="cy", no "not yet available in Welsh" notice), axe finds nothing, screenshots at both widths."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser_support import check_page, make_person, sign_in

pytestmark = pytest.mark.browser

NOTICE = "Part of this page is not yet available in Welsh"


def in_welsh(page: Page, name: str, heading: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert NOTICE not in page.content(), f"{page.url} still has English in it"
    check_page(page, name)


def test_a_person_chooses_welsh_and_walks_home_wall_thank_you_and_booking(page: Page, live_app):
    email, password, _ = make_person(live_app, display_name="Ceri Welsh-Browser")
    sign_in(page, email, password)
    page.get_by_role("button", name="Cymraeg").click()
    in_welsh(page, "welsh-home", "Helo, Ceri")

    page.get_by_role("navigation", name="Prif").get_by_role("link", name="Diolch").click()
    in_welsh(page, "welsh-wall", "Wal ddiolch")

    page.goto("/")
    page.get_by_role("link", name="Dweud diolch").first.click()
    in_welsh(page, "welsh-thank-you", "Dweud diolch")

    page.goto("/")
    page.get_by_role("link", name="Trefnu cymorth").first.click()
    in_welsh(page, "welsh-book", "Trefnu cymorth")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Book support")
