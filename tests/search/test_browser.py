"""The header's search box in a real browser: as people type (htmx, debounced, the newer search replacing the older)
and as a plain form without JavaScript; the results page, its "Show more" and filters; an XSS corpus in what is
found that never runs; private thank-yous that never show to someone outside their circle; axe on every state."""

import itertools
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.extensions import db
from portal.recognition.models import Visibility
from tests.browser_support import check_page, sign_in
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory
from tests.search.factories import note, thank

pytestmark = pytest.mark.browser
_unique = itertools.count()

PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '"><img src=x onerror="window.__xss = 2">',
    "<svg onload=\"window.__xss = 3\"></svg>",
    "<a href=\"javascript:window.__xss = 4\">click</a>",
    "<details open ontoggle=\"window.__xss = 5\">",
    "{{ 7*7 }} ${7*7} \ue000<b>fake mark</b>\ue001",
]


def world(live_app, word: str) -> dict:
    """Committed: a viewer; a published note, public thank-yous (some carrying XSS payloads), a private thank-you
    between two others, and a colleague — all findable by ``word``."""
    tag = next(_unique)
    with live_app.app_context():
        area = UnitFactory(name=f"Riverside district {tag}")
        team = UnitFactory(name=f"Riverside PALS {tag}", parent=area)
        viewer = UserFactory(unit=team, display_name="Vera Viewer", email=f"vera{tag}@example.nhs.uk")
        champion = UserFactory(champion=True, unit=area, display_name="Cam Champion")
        colleague = UserFactory(unit=team, display_name=f"Lior {word.title()}", job_title="Complaints adviser")
        published = note(champion, unit=team, title=f"{word.title()} handovers to the bereavement office",
                         summary="Walk people over instead of giving them a number.",
                         body=f"Ring first, then walk them over. The {word} routine took a week to learn.",
                         tags=("handover",))
        public = [thank(UserFactory(display_name=f"Author {n}"), UserFactory(display_name=f"Person {n}"),
                        words=f"{word.title()} patience on a hard call. {payload}", learning=payload)
                  for n, payload in enumerate(PAYLOADS)]
        public += [thank(UserFactory(), colleague, words=f"Steady {word} work number {n}.") for n in range(6)]
        private = thank(UserFactory(display_name="Priv Author"), UserFactory(display_name="Priv Person"),
                        words=f"Secret {word} words for the circle only.", visibility=Visibility.PRIVATE)
        db.session.commit()
        return {"email": viewer.email, "note": published.id, "public": [p.id for p in public],
                "private": private.id, "colleague": colleague.id}


def no_script_ran(page: Page) -> None:
    assert page.evaluate("() => window.__xss === undefined"), "a payload ran"


def test_search_as_you_type_in_the_header_then_the_results_page(browser: Browser, base_url, live_app):
    word = "lanternfish"
    data = world(live_app, word)
    page = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}).new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, data["email"], DEFAULT_PASSWORD)

    box = page.get_by_role("searchbox", name="Search for practice notes, thank-yous and colleagues")
    searches = []
    page.on("request", lambda request: searches.append(request.url) if "/search?" in request.url else None)
    box.press_sequentially("lanternf", delay=20)  # faster than the 300 ms pause: one search, for the last text
    drop_down = page.locator("#header-search-results")
    expect(drop_down.get_by_role("link", name=re.compile("Lanternfish handovers"))).to_be_visible()
    assert len(searches) == 1 and searches[0].endswith("q=lanternf"), searches
    expect(page.locator("#header-search-status")).to_contain_text("Practice notes: 1.")
    expect(drop_down.get_by_text("Secret")).to_have_count(0)
    expect(drop_down.get_by_role("link", name=re.compile("Priv Author"))).to_have_count(0)
    no_script_ran(page)
    check_page(page, "search-header-drop-down")

    # A newer search replaces one still running: the older request is cancelled and never fills the drop-down.
    held, failed = [], []
    page.route(re.compile(r"/search\?q=zzzzqq"), lambda route: held.append(route))  # the older search hangs, held here
    page.on("requestfailed", lambda request: failed.append(request.url))
    box.fill("zzzzqq")
    for _ in range(40):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the first search was never sent"
    box.fill(word)
    expect(drop_down.get_by_role("link", name=f"See all results for “{word}”")).to_be_visible()
    expect(drop_down.get_by_role("link", name=re.compile("Lanternfish handovers"))).to_be_visible()
    for _ in range(20):
        if failed:
            break
        page.wait_for_timeout(100)
    assert [url for url in failed if "q=zzzzqq" in url], failed
    page.unroute(re.compile(r"/search\?q=zzzzqq"))

    box.press("Enter")  # the form itself: the full results page
    expect(page).to_have_url(re.compile(rf"/search\?q={word}$"))
    expect(page.get_by_role("heading", name="Practice notes")).to_be_visible()
    main = page.locator("main")
    expect(main.locator("mark", has_text=re.compile(word, re.IGNORECASE)).first).to_be_visible()
    expect(main.get_by_text("Secret")).to_have_count(0)
    expect(main.get_by_role("link", name=f"Lior {word.title()}", exact=True)).to_be_visible()
    no_script_ran(page)
    check_page(page, "search-results")

    # Every thank-you (the payloads included), through htmx's "Show more": the new hits join the list.
    page.goto(f"/search?q={word}&type=thanks")
    hits = main.locator("#search-hits-thanks article")
    expect(hits).to_have_count(len(data["public"]))
    expect(main.get_by_text("<script>window.__xss = 1</script>", exact=False).first).to_be_visible()
    expect(main.locator("mark", has_text="fake mark")).to_have_count(0)
    no_script_ran(page)

    # Typing on the results page updates the results and the address.
    search_box = page.get_by_role("searchbox", name="Search for practice notes, thank-yous and colleagues").nth(1)
    search_box.fill("steady lanternf")
    expect(page).to_have_url(re.compile(r"/search\?q=steady(\+|%20)lanternf&type=thanks$"))  # tidy: no empty fields
    expect(hits).to_have_count(6)
    expect(page.locator("#search-status")).to_contain_text("Thank-yous: 6.")
    check_page(page)
    assert dialogs == []


def test_show_more_and_the_filters_with_javascript(browser: Browser, base_url, live_app):
    word = "quillback"
    data = world(live_app, word)
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, data["email"], DEFAULT_PASSWORD)
    page.goto(f"/search?q={word}")
    main = page.locator("main")
    expect(main.locator("#search-hits-thanks > li > article")).to_have_count(5)
    main.get_by_role("link", name="Show more thank-yous").click()
    expect(main.locator("#search-hits-thanks > li > article")).to_have_count(len(data["public"]))
    expect(page).to_have_url(re.compile(rf"/search\?q={word}$"))  # the page was not left
    no_script_ran(page)

    page.get_by_text("Filters and order").click()
    page.get_by_role("radio", name="Newest first").check()
    page.get_by_role("radio", name="Colleagues").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(main.get_by_role("link", name=f"Lior {word.title()}", exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name="Thank-yous")).to_have_count(0)
    check_page(page)


def test_the_header_search_and_show_more_without_javascript(browser: Browser, base_url, live_app):
    word = "wolffish"
    data = world(live_app, word)
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, data["email"], DEFAULT_PASSWORD)
    box = page.get_by_role("searchbox", name="Search for practice notes, thank-yous and colleagues")
    box.fill(word)
    page.get_by_role("button", name="Search", exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/search\?q={word}$"))
    main = page.locator("main")
    expect(main.get_by_role("link", name=re.compile("Wolffish handovers"))).to_be_visible()
    expect(main.get_by_text("Secret")).to_have_count(0)
    expect(main.locator("#search-hits-thanks > li > article")).to_have_count(5)
    main.get_by_role("link", name="Show more thank-yous").click()  # a plain link: the next page of thank-yous
    expect(page).to_have_url(re.compile(r"type=thanks"))
    expect(main.locator("#search-hits-thanks > li > article")).to_have_count(len(data["public"]) - 5)

    page.goto(f"/search?q={word}&from=2026-02-30")
    expect(page.get_by_role("link", name="Enter a real date, for example 2026-03-27")).to_be_visible()
    context.close()
