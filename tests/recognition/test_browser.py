"""Recognition in a real browser, with and without JavaScript: thank a colleague (public, team, private),
appreciate and comment, report and hide. axe finds nothing on every page; screenshots at both widths."""

import contextlib
import itertools
import re

import pytest
from playwright.sync_api import APIResponse, Browser, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import select

from portal.extensions import db
from portal.recognition.models import Post
from tests.browser_support import check_page, choose_unit, sign_in
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
    write_thank_you(page, to=to, visibility=visibility, team=team, js=js, screenshots=screenshots)
    page.get_by_role("button", name="Send thank you").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you sent")
    look(page, js=js)


def write_thank_you(page: Page, *, to: dict | None, visibility: str, team: str | None = None, js: bool = True,
                    screenshots: bool = False) -> None:
    """Everything up to the "Check your thank-you before sending" page."""
    page.goto("/thanks/new")
    # Words first, then the colleague: searching and choosing (with or without JavaScript) must keep them.
    page.get_by_label("What they did").fill(WORDS)
    if to is not None:
        search = page.get_by_label("Search for a colleague by name")
        search.fill(to["name"][:7])
        if not js:
            page.get_by_role("main").get_by_role("button", name="Search", exact=True).click()
        page.get_by_role("button", name=f"Choose {to['name']}").click()
        expect(page.get_by_test_id("chosen-people")).to_contain_text(to["name"])
    expect(page.get_by_label("What they did")).to_have_value(WORDS)
    if team is not None:  # the unit picker: type part of the team's name, then choose it from the matches
        choose_unit(page, "team", team.split(" / ")[-1], team, js=js)
        expect(page.get_by_label("What they did")).to_have_value(WORDS)
    page.get_by_label("The difference it made").fill("The caller was safe and I could carry on with my shift.")
    page.get_by_label("Listened").check()
    page.get_by_label("Compassion under pressure").check()
    page.get_by_label(visibility).check()
    shot = "recognition-thank-team" if team is not None else "recognition-thank"
    if screenshots:
        look(page, f"{shot}-form")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your thank-you before sending")
    if team is not None:
        expect(page.locator(".summary-list")).to_contain_text(f"Everyone in {team}")
    look(page, f"{shot}-check" if screenshots else None, js=js)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_thank_publicly_appreciate_comment_report_and_hide(browser: Browser, base_url, cast, js):
    author = signed_in(browser, base_url, cast["author"], js=js)
    say_thank_you(author, to=cast["colleague"], visibility="Everyone (the thanks wall)", js=js, screenshots=js)
    expect(author.get_by_role("link", name="Withdraw it")).to_be_visible()

    colleague = signed_in(browser, base_url, cast["colleague"], js=js)
    colleague.goto("/thanks")
    card = colleague.locator("article").filter(has_text=cast["author"]["name"]).first
    expect(card).to_contain_text(WORDS)
    card.get_by_role("button", name="Appreciate this thank-you").click()
    card = colleague.locator("article").filter(has_text=cast["author"]["name"]).first
    expect(card).to_contain_text("You appreciate this")
    button = card.get_by_role("button", name="Appreciate this thank-you")
    expect(button).to_have_attribute("aria-pressed", "true")
    if js:  # the keyboard user is still on the button, ready to undo it
        expect(button).to_be_focused()
    else:  # back on the same card of the wall, not at the top of it
        expect(colleague).to_have_url(re.compile(f"#{card.get_attribute('id')}$"))
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

    stranger.goto("/thanks")
    expect(stranger.locator("main")).not_to_contain_text("It gives a patient")
    expect(stranger.locator("article").filter(has_text=cast["author"]["name"])).to_have_count(0)
    author.goto(colleague.url.split("#")[0])
    expect(author.locator(".banner--warning")).to_contain_text("It named a patient")


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_team_and_private_thanks_show_only_to_those_allowed(browser: Browser, base_url, cast, js):
    author = signed_in(browser, base_url, cast["author"], js=js)
    say_thank_you(author, to=cast["colleague"], visibility="Private", js=js)
    say_thank_you(author, to=None, team=cast["team"], visibility="Their team", js=js, screenshots=js)

    colleague = signed_in(browser, base_url, cast["colleague"], js=js)
    colleague.goto(f"/thanks/people/{cast['colleague']['id']}")
    expect(colleague.locator("article")).to_have_count(1)  # the private one, to them by name
    expect(colleague.locator("article").first).to_contain_text("Private")
    expect(colleague.get_by_role("link", name="Download as a spreadsheet (CSV)")).to_be_visible()
    look(colleague, "recognition-profile", js=js)

    manager = signed_in(browser, base_url, cast["manager"], js=js)
    manager.goto(f"/thanks/people/{cast['colleague']['id']}")
    expect(manager.locator("article")).to_have_count(1)

    stranger = signed_in(browser, base_url, cast["stranger"], js=js)
    stranger.goto(f"/thanks/people/{cast['colleague']['id']}")
    expect(stranger.locator("article")).to_have_count(0)
    stranger.goto("/thanks")
    expect(stranger.locator("article").filter(has_text=cast["author"]["name"])).to_have_count(0)


def test_the_wall_filter_bar_updates_the_list(browser: Browser, base_url, cast):
    author = signed_in(browser, base_url, cast["author"])
    say_thank_you(author, to=cast["colleague"], visibility="Everyone (the thanks wall)")
    author.goto("/thanks")
    author.get_by_label("Type").select_option(label="Awards")
    # Other browser tests share the live database and may have announced an award: the thank-you must be gone.
    expect(author).to_have_url(re.compile(r"type=award"))
    expect(author.locator("article").filter(has_text=WORDS)).to_have_count(0)
    author.get_by_label("Type").select_option(label="Thank-yous")
    expect(author.locator("article").first).to_contain_text(WORDS)
    check_page(author)
    # The unit picker: the matches come as the author types; checking one filters the wall by its id.
    choose_unit(author, "unit", cast["team"].split(" / ")[-1], cast["team"])
    author.get_by_role("button", name="Show", exact=True).click()  # a single match comes checked: "Show" applies it
    expect(author).to_have_url(re.compile(r"[?&]unit=\d+"))
    expect(author.locator("article").filter(has_text=WORDS).first).to_be_visible()
    check_page(author, "recognition-wall-unit-filter")
    link = author.url
    author.goto(link)  # the filtered wall is a link: the unit comes back chosen, by name
    expect(author.locator(".unit-picker__chosen")).to_contain_text(cast["team"])
    expect(author.locator("article").filter(has_text=WORDS).first).to_be_visible()



def test_send_clicked_twice_without_javascript_sends_one_thank_you(browser: Browser, base_url, cast, live_app):
    """No JavaScript to disable the button, so a second click on "Send" posts the form again. Chromium folds a
    ``dblclick`` into one submission (the second replaces the first before it leaves), so the first answer is held
    back, as a slow network would, and "Send" clicked again once the server has the first post: the server gets the
    same form twice, and the form's key makes one thank-you."""
    author = signed_in(browser, base_url, cast["author"], js=False)
    write_thank_you(author, to=cast["colleague"], visibility="Everyone (the thanks wall)", js=False)
    held: list[tuple[Route, APIResponse]] = []

    def hold_the_answer(route: Route) -> None:  # the server has answered; the browser has not heard yet
        held.append((route, route.fetch(max_redirects=0)))

    author.route("**/thanks/new", hold_the_answer)
    send = author.get_by_role("button", name="Send thank you")
    send.scroll_into_view_if_needed()  # the mouse clicks where the button is on screen
    box = send.bounding_box()
    for clicks in (1, 2):  # the mouse itself: a locator would wait for the first click's page, which is held
        author.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(1500):  # at most 30 seconds: a click that never reaches the server fails, never hangs
            if len(held) >= clicks:
                break
            author.wait_for_timeout(20)
        assert len(held) == clicks, f"click {clicks} never reached the server"
    for route, answer in held:
        with contextlib.suppress(PlaywrightError):  # the browser gave up the first click's page for the second's
            route.fulfill(response=answer)
    expect(author.get_by_role("status")).to_contain_text("Thank you sent")
    with live_app.app_context():
        sent = db.session.scalars(select(Post.id).where(Post.author_id == cast["author"]["id"])).all()
    assert len(held) == 2 and len(sent) == 1
    assert author.url.endswith(f"/thanks/{sent[0]}")


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_withdrawing_asks_first_and_no_keeps_it(browser: Browser, base_url, cast, js):
    author = signed_in(browser, base_url, cast["author"], js=js)
    say_thank_you(author, to=cast["colleague"], visibility="Private", js=js)
    post_url = author.url.split("#")[0]
    author.get_by_role("link", name="Withdraw it").click()
    expect(author.get_by_role("heading", level=1)).to_have_text("Withdraw your thank-you?")
    look(author, "recognition-withdraw-check" if js else None, js=js)
    author.get_by_role("link", name="No, keep it").click()
    assert author.url.split("#")[0] == post_url
    expect(author.get_by_role("link", name="Withdraw it")).to_be_visible()  # nothing happened
    author.get_by_role("link", name="Withdraw it").click()
    author.get_by_role("button", name="Yes, withdraw it").click()
    expect(author.get_by_role("status")).to_contain_text("Your thank-you has been withdrawn")
