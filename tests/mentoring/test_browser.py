"""A colleague finds a mentor by what they want help with and asks; the mentor accepts; they agree how to work —
with JavaScript and without."""

import itertools
import re

import pytest
from playwright.sync_api import Browser, expect

from portal.extensions import db
from tests.browser_support import check_page, sign_in
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.mentoring.factories import mentor

pytestmark = pytest.mark.browser
_unique = itertools.count()


def mentor_and_mentee(live_app):
    n = next(_unique)
    with live_app.app_context():
        m = mentor(display_name=f"Grace Okafor {n}", email=f"grace{n}@example.nhs.uk",
                   experience="Complaints about end-of-life care, bereavement calls")
        mentee = UserFactory(display_name=f"Jon Price {n}", email=f"jon{n}@example.nhs.uk")
        db.session.commit()
        return m.display_name, m.email, mentee.email


def journey(browser: Browser, base_url: str, live_app, *, javascript: bool) -> None:
    mentor_name, mentor_email, mentee_email = mentor_and_mentee(live_app)
    mentee = browser.new_context(base_url=base_url, java_script_enabled=javascript).new_page()
    sign_in(mentee, mentee_email, DEFAULT_PASSWORD)
    mentee.get_by_role("link", name="Mentoring", exact=True).first.click()
    mentee.get_by_role("link", name="Find a mentor").click()
    mentee.get_by_label("Area of experience, or what you want help with").fill("bereavement")
    mentee.get_by_role("main").get_by_role("button", name="Search").click()
    expect(mentee).to_have_url(re.compile(r"q=bereavement"))
    search = mentee.get_by_role("main").get_by_role("button", name="Search")
    expect(search).not_to_have_class(re.compile("htmx-request"))
    expect(mentee.get_by_role("heading", name=mentor_name)).to_be_visible()
    if javascript:
        check_page(mentee, "mentoring-mentors")
    mentee.get_by_role("link", name=f"Ask {mentor_name} to mentor you").click()
    mentee.get_by_label("What would you like help with?").fill("Staying steady on calls about a death in hospital")
    mentee.get_by_role("button", name="Send request").click()
    expect(mentee.get_by_role("status")).to_contain_text("Request sent")

    supporter = browser.new_context(base_url=base_url, java_script_enabled=javascript).new_page()
    sign_in(supporter, mentor_email, DEFAULT_PASSWORD)
    supporter.get_by_role("link", name="Mentoring requests to answer").click()
    supporter.get_by_role("link", name="Jon Price").first.click()
    expect(supporter.get_by_text("Staying steady on calls about a death in hospital")).to_be_visible()
    supporter.get_by_role("button", name="Accept").click()
    expect(supporter.get_by_role("status")).to_contain_text("Accepted")
    supporter.get_by_label("What you will work on").fill("Phrases for the first minute of a hard call")
    supporter.get_by_label("How often you will meet").fill("Every 2 weeks")
    supporter.get_by_label("For how long").fill("3 months")
    supporter.get_by_role("button", name="Save agreement").click()
    expect(supporter.get_by_role("status")).to_contain_text("Agreement saved")
    expect(supporter.get_by_text("Active", exact=True)).to_be_visible()
    if javascript:
        check_page(supporter, "mentoring-agreement")

    mentee.goto("/mentoring")
    expect(mentee.get_by_text("Active", exact=True)).to_be_visible()


def test_a_mentoring_request_is_accepted(browser: Browser, base_url, live_app):
    journey(browser, base_url, live_app, javascript=True)


def test_mentoring_works_without_javascript(browser: Browser, base_url, live_app):
    journey(browser, base_url, live_app, javascript=False)
