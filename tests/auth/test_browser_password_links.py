"""Forgotten passwords and invitations in a real Chromium, with JavaScript on and off: the emailed link arrives at a
real SMTP server (aiosmtpd), works once, and every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from portal.extensions import db
from portal.notifications.worker import run_once
from tests.browser_support import check_page, choose_unit, make_person, sign_in
from tests.factories import UnitFactory
from tests.mail import Inbox, SmtpServer

pytestmark = pytest.mark.browser
LINK = re.compile(r"https?://[^/\s]+(/password/new/[A-Za-z0-9_-]+)")
NEW_PASSWORD = "seven quiet lighthouses"


@pytest.fixture
def inbox(live_app, monkeypatch):
    server = SmtpServer(Inbox()).start()
    monkeypatch.setitem(live_app.config, "SMTP_URL", server.url)
    yield server.inbox
    server.stop()


def deliver(live_app) -> None:
    with live_app.app_context():
        run_once()  # runs the reset job, which queues the email
        run_once()  # sends it


def look(page, name: str, javascript: bool) -> None:
    """axe and screenshots need JavaScript in the page (axe runs there); without it the journey itself is the test."""
    if javascript:
        check_page(page, name)


def link_to(inbox: Inbox, address: str) -> str:
    for received in reversed(inbox.received):
        if received.recipients == [address]:
            return LINK.search(received.message.get_body(("plain",)).get_content()).group(1)
    raise AssertionError(f"no email to {address}")


@pytest.mark.parametrize("javascript", [True, False])
def test_forgotten_password(browser: Browser, base_url, live_app, inbox, javascript):
    email, old_password, _ = make_person(live_app, display_name="Grace Reset")
    context = browser.new_context(java_script_enabled=javascript, base_url=base_url)
    page = context.new_page()
    page.goto("/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    look(page, "password-reset", javascript)

    page.get_by_label("Email").fill("not an address")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("not an address")
    look(page, "password-reset-error", javascript)

    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text(f"If {email} has a Frontline account")).to_be_visible()
    look(page, "password-reset-sent", javascript)

    deliver(live_app)
    inbox.wait_for(1)
    link = link_to(inbox, email)
    page.goto(link)
    expect(page).to_have_url(f"{base_url}/password/new")  # the secret is not left in the address bar
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    look(page, "choose-password", javascript)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Type the new password again").fill("short")
    page.get_by_role("button", name="Save password and sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Use at least 10 characters")
    look(page, "choose-password-error", javascript)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password and sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Grace")
    expect(page.get_by_role("status")).to_contain_text("Your password is set")

    page.goto(link)  # a second time: used
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    look(page, "link-unusable", javascript)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, email, old_password)
    expect(page.get_by_role("alert")).to_contain_text("Your email or password is not right")
    sign_in(page, email, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Grace")
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_an_invitation_from_an_administrator(browser: Browser, base_url, live_app, inbox, javascript):
    admin_email, admin_password, _ = make_person(live_app, admin=True)
    tag = "js" if javascript else "nojs"
    invitee = f"invited.{tag}.{id(inbox)}@example.nhs.uk"
    admin = browser.new_context(java_script_enabled=javascript, base_url=base_url).new_page()
    sign_in(admin, admin_email, admin_password)
    admin.goto("/admin/users/new")
    expect(admin.get_by_label("Email them an invitation to choose their password")).to_be_checked()
    admin.get_by_label("Full name").fill(f"Ines Invited {tag}")
    admin.get_by_label("Email", exact=True).fill(invitee)
    office = f"Invitation office {tag} {id(inbox)}"
    with live_app.app_context():
        UnitFactory(name=office)
        db.session.commit()
    choose_unit(admin, "unit_id", office, office, js=javascript)
    admin.get_by_label("Staff", exact=True).check()
    admin.get_by_role("button", name="Add person").click()
    expect(admin.get_by_role("status")).to_contain_text("sent an invitation to choose a password")
    expect(admin.get_by_text("Not yet: invited")).to_be_visible()
    if javascript:
        check_page(admin, "admin-person-invited")

    deliver(live_app)
    inbox.wait_for(1)
    person = browser.new_context(java_script_enabled=javascript, base_url=base_url).new_page()
    person.goto(link_to(inbox, invitee))
    expect(person.get_by_role("heading", level=1)).to_have_text("Choose your password")
    person.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    person.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    person.get_by_role("button", name="Save password and sign in").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("Hello, Ines")
    admin.reload()
    expect(admin.get_by_text("With a Frontline password")).to_be_visible()
    admin.context.close()
    person.context.close()
