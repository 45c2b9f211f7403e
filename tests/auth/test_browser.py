"""Sign in and out in a real Chromium, with JavaScript on and off."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser_support import check_page, make_person, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_and_out(page: Page, live_app):
    email, password, _ = make_person(live_app, display_name="Grace Okafor")
    page.goto("/")
    expect(page).to_have_url("/login?next=/")
    check_page(page, "sign-in")

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Your email or password is not right")
    expect(page.get_by_label("Email")).to_have_value(email)
    check_page(page, "sign-in-error")

    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Grace")
    check_page(page, "home")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url("/login")
    expect(page.get_by_role("status")).to_contain_text("You have signed out")
    page.goto("/")
    expect(page).to_have_url("/login?next=/")


def test_sign_in_without_javascript(browser: Browser, base_url, live_app):
    email, password, _ = make_person(live_app, display_name="Tomasz Nowak")
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    sign_in(page, email, password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Tomasz")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{base_url}/login")
    context.close()


def test_temporary_password_must_be_changed(page: Page, live_app):
    email, password, _ = make_person(live_app, display_name="Amira Haddad", must_change_password=True)
    sign_in(page, email, password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    check_page(page, "change-password")
    page.get_by_label("Current password").fill(password)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Type the new password again").fill("short")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("Use at least 10 characters")
    check_page(page, "change-password-error")
    page.get_by_label("Current password").fill(password)
    page.get_by_label("New password", exact=True).fill("a much better password")
    page.get_by_label("Type the new password again").fill("a much better password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Amira")


def test_error_pages(page: Page, live_app):
    email, password, _ = make_person(live_app)
    sign_in(page, email, password)
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page, "error-404")
    page.goto("/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    check_page(page, "error-403")
