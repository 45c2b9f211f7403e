"""Long text: the limit is shown before it is reached, nothing pasted is cut off silently, what was too long comes
back with a message and every word kept, and one enormous word never pushes a page sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from tests.browser_support import check_page, make_person, sign_in
from tests.factories import UserFactory
from tests.recognition.factories import thank

pytestmark = pytest.mark.browser


def test_the_count_shows_what_is_left_and_a_long_paste_is_kept_with_a_message(live_app, page):
    email, password, _ = make_person(live_app)
    sign_in(page, email, password)
    page.goto("/debriefs/new")
    note = page.get_by_label("Anything you would like your supporter to know")
    count = page.locator("#note-count")
    expect(count).to_have_text("You have 2,000 characters remaining")
    assert note.get_attribute("maxlength") is None  # the browser never cuts a paste short
    note.fill("x" * 2500)
    expect(count).to_have_text("You have 500 characters too many")
    page.get_by_label("Before the end of this shift").check()
    page.get_by_role("radio", name="Phone").check()
    page.get_by_label("Phone number, Teams name or where to find you").fill("Extension 4417")
    page.get_by_role("button", name="Ask for a de-brief").click()
    expect(page.locator(".error-summary")).to_contain_text("2,000")
    expect(page.get_by_label("Anything you would like your supporter to know")).to_have_value("x" * 2500)
    check_page(page)


def test_without_javascript_the_limit_is_a_plain_hint(live_app, browser, base_url):
    email, password, _ = make_person(live_app)
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    try:
        sign_in(page, email, password)
        page.goto("/debriefs/new")
        expect(page.locator("#note-count")).to_have_text("You can enter up to 2,000 characters")
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_one_enormous_word_wraps_instead_of_widening_the_page(live_app, page, width):
    with live_app.app_context():
        author, person = UserFactory(), UserFactory()
        post = thank(author, person, words="Thank-you-" + "a" * 1900)
        db.session.commit()
        post_id, email = post.id, author.email
    sign_in(page, email)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/thanks/{post_id}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
