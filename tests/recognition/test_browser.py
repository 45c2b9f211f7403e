"""Recognition in a real browser, with and without JavaScript: thank a colleague (public, team, private),
appreciate and comment, report and hide. axe finds nothing on every page; screenshots at both widths."""

import itertools

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.extensions import db
from tests.browser_support import check_page, sign_in
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory

pytestmark = pytest.mark.browser
_n = itertools.count()
WORDS = ("You stayed on the line with a caller in crisis until the crisis team arrived, "
         "then made sure I was OK too.")


@pytest.fixture
def cast(live_app):
    """An area with a champion, two colleagues in a team inside it (one with a manager), and a stranger."""
    n = next(_n)
    with live_app.app_context():
        area = UnitFactory(name=f"Patient experience {n}")
        team = UnitFactory(name=f"PALS North {n}", parent=area)
        manager = UserFactory(display_name=f"Maya Manager{n}", unit=area, email=f"maya{n}@trust.nhs.uk")
        people = {
            "author": UserFactory(display_name=f"Ada Author{n}", unit=team, email=f"ada{n}@trust.nhs.uk"),
            "colleague": UserFactory(display_name=f"Priya Patel{n}", unit=team, manager=manager,
                                     job_title="PALS officer", email=f"priya{n}@trust.nhs.uk"),
            "manager": manager,
            "stranger": UserFactory(display_name=f"Sam Stranger{n}", email=f"sam{n}@trust.nhs.uk"),
            "champion": UserFactory(display_name=f"Cam Champion{n}", unit=area, champion=True,
                                    email=f"cam{n}@trust.nhs.uk"),
        }
        db.session.commit()
        return {key: {"email": u.email, "id": u.id, "name": u.display_name} for key, u in people.items()} | {
            "team": f"Patient experience {n} / PALS North {n}"}


def look(page: Page, name: str | None = None, *, js: bool = True) -> None:
    """axe and screenshots on the JavaScript run (axe itself needs JavaScript; the no-JS run checks behaviour)."""
    if js:
        check_page(page, name)


def signed_in(browser: Browser, base_url: str, person: dict, *, js: bool = True) -> Page:
    page = browser.new_context(base_url=base_url, java_script_enabled=js).new_page()
    sign_in(page, person["email"], DEFAULT_PASSWORD)
    return page


def say_thank_you(page: Page, *, to: dict | None, visibility: str, team: str | None = None, js: bool = True,
                  screenshots: bool = False) -> None:
    page.goto("/thank-you/new")
    if to is not None:
        search = page.get_by_label("Search for a colleague by name")
        search.fill(to["name"][:7])
        if not js:
            page.get_by_role("button", name="Search", exact=True).click()
        page.get_by_role("button", name=f"Choose {to['name']}").click()
        expect(page.get_by_test_id("chosen-people")).to_contain_text(to["name"])
    if team is not None:
        page.get_by_label("Or thank a whole team").select_option(label=team)
    page.get_by_label("What they did").fill(WORDS)
    page.get_by_label("The difference it made").fill("The caller was safe and I could carry on with my shift.")
    page.get_by_label("Listened").check()
    page.get_by_label("Compassion under pressure").check()
    page.get_by_label(visibility).check()
    if screenshots:
        look(page, "recognition-thank-form")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your thank-you before sending")
    look(page, "recognition-check" if screenshots else None, js=js)
    page.get_by_role("button", name="Send thank you").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you sent")
    look(page, js=js)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_thank_publicly_appreciate_comment_report_and_hide(browser: Browser, base_url, cast, js):
    author = signed_in(browser, base_url, cast["author"], js=js)
    say_thank_you(author, to=cast["colleague"], visibility="Everyone (the thanks wall)", js=js, screenshots=js)
    expect(author.get_by_role("button", name="Withdraw it")).to_be_visible()

    colleague = signed_in(browser, base_url, cast["colleague"], js=js)
    colleague.goto("/wall")
    card = colleague.locator("article").filter(has_text=cast["author"]["name"]).first
    expect(card).to_contain_text(WORDS)
    card.get_by_role("button", name="Appreciate this thank-you").click()
    card = colleague.locator("article").filter(has_text=cast["author"]["name"]).first
    expect(card).to_contain_text("1 person appreciates this")
    expect(card.get_by_role("button", name="Appreciate this thank-you")).to_have_attribute("aria-pressed", "true")
    look(colleague, "recognition-wall", js=js)
    card.get_by_role("link", name="Add your thanks to this thank-you").click()
    colleague.get_by_label("Add your thanks").fill("Seconded. The whole team noticed.")
    colleague.get_by_role("button", name="Add your thanks").click()
    expect(colleague.get_by_role("status")).to_contain_text("Your thanks have been added")
    expect(colleague.locator("#comments")).to_contain_text("Seconded. The whole team noticed.")
    look(colleague, "recognition-post", js=js)

    stranger = signed_in(browser, base_url, cast["stranger"], js=js)
    post_url = colleague.url.split("#")[0]
    stranger.goto(post_url)
    stranger.get_by_role("link", name="Report this thank-you").click()
    look(stranger, js=js)
    stranger.get_by_role("button", name="Send report").click()
    expect(stranger.locator(".error-summary")).to_contain_text("Tell us why")
    look(stranger, "recognition-report-error", js=js)
    stranger.get_by_label("Why?").fill("It gives a patient's name.")
    stranger.get_by_role("button", name="Send report").click()
    expect(stranger.get_by_role("status")).to_contain_text("Thank you for telling us")

    champion = signed_in(browser, base_url, cast["champion"], js=js)
    champion.goto("/")
    champion.get_by_role("link", name="Reported thank-yous and comments to review").click()
    expect(champion.get_by_role("heading", level=1)).to_have_text("Reported thank-yous and comments")
    report = champion.locator(".report").filter(has_text="It gives a patient's name.")
    look(champion, "recognition-moderation", js=js)
    report.get_by_role("link", name="Hide it").click()
    champion.get_by_label("Why?").fill("It named a patient. Please write it again without the name.")
    champion.get_by_role("button", name="Hide it").click()
    expect(champion.get_by_role("status")).to_contain_text("Hidden. The author has been told why.")

    stranger.goto("/wall")
    expect(stranger.locator("main")).not_to_contain_text("It gives a patient")
    expect(stranger.locator("article").filter(has_text=cast["author"]["name"])).to_have_count(0)
    author.goto(colleague.url.split("#")[0])
    expect(author.locator(".banner--warning")).to_contain_text("It named a patient")


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_team_and_private_thanks_show_only_to_those_allowed(browser: Browser, base_url, cast, js):
    author = signed_in(browser, base_url, cast["author"], js=js)
    say_thank_you(author, to=cast["colleague"], visibility="Private", js=js)
    say_thank_you(author, to=None, team=cast["team"], visibility="Their team", js=js)

    colleague = signed_in(browser, base_url, cast["colleague"], js=js)
    colleague.goto(f"/people/{cast['colleague']['id']}/recognition")
    expect(colleague.locator("article")).to_have_count(1)  # the private one, to them by name
    expect(colleague.locator("article").first).to_contain_text("Private")
    expect(colleague.get_by_role("link", name="Download as a spreadsheet (CSV)")).to_be_visible()
    look(colleague, "recognition-profile", js=js)

    manager = signed_in(browser, base_url, cast["manager"], js=js)
    manager.goto(f"/people/{cast['colleague']['id']}/recognition")
    expect(manager.locator("article")).to_have_count(1)

    stranger = signed_in(browser, base_url, cast["stranger"], js=js)
    stranger.goto(f"/people/{cast['colleague']['id']}/recognition")
    expect(stranger.locator("article")).to_have_count(0)
    stranger.goto("/wall")
    expect(stranger.locator("article").filter(has_text=cast["author"]["name"])).to_have_count(0)


def test_the_wall_filter_bar_updates_the_list(browser: Browser, base_url, cast):
    author = signed_in(browser, base_url, cast["author"])
    say_thank_you(author, to=cast["colleague"], visibility="Everyone (the thanks wall)")
    author.goto("/wall")
    author.get_by_label("Type").select_option(label="Awards")
    expect(author.get_by_text("Nothing here yet.")).to_be_visible()
    assert "type=award" in author.url
    author.get_by_label("Type").select_option(label="Thank-yous")
    expect(author.locator("article").first).to_contain_text(WORDS)
    check_page(author)
