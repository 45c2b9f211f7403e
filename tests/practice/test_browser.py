"""The good-practice journey in a real browser, with JavaScript and without, axe on every page we stop at:
a champion publishes; a staff member writes a note, is warned about personal data, and sends it; the champion asks
for changes; the author edits; the champion reads the word diff and approves; a colleague finds it with the header's
search box, marks it useful and flags it; the champion keeps it up from the queue and features it to their district;
it shows on a team member's home page.
"""

import itertools
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.db import utcnow
from portal.extensions import db
from tests.browser_support import check_page, sign_in
from tests.factories import DEFAULT_PASSWORD
from tests.practice.factories import area

pytestmark = pytest.mark.browser
_unique = itertools.count()
NHS_NUMBER = "943 476 5919"  # passes the modulus-11 check


def people(live_app) -> dict[str, str]:
    """A small area (trust > PALS > North and South teams), committed; returns emails by role in the story."""
    with live_app.app_context():
        a = area(f"Browser {next(_unique)}")
        db.session.commit()
        return {"champion": a.champion.email, "staff": a.staff.email, "colleague": a.colleague.email,
                "district": a.pals.name}


def open_as(browser: Browser, base_url: str, email: str, *, javascript: bool) -> Page:
    page = browser.new_context(base_url=base_url, java_script_enabled=javascript).new_page()
    sign_in(page, email, DEFAULT_PASSWORD)
    return page


def check(page: Page, name: str | None, javascript: bool) -> None:
    if javascript:  # axe runs in the page, so only where scripts may run
        check_page(page, name)


def fill_note(page: Page, *, title: str, body: str, tags: str = "handover, bereavement") -> None:
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("One-line summary").fill("Walk people over instead of giving them a number.")
    page.get_by_label("Body", exact=True).fill(body)
    page.get_by_label("Tags").fill(tags)


def journey(browser: Browser, base_url: str, live_app, *, javascript: bool) -> None:
    who = people(live_app)
    n = next(_unique)

    # A champion publishes directly.
    champion = open_as(browser, base_url, who["champion"], javascript=javascript)
    champion.goto("/practice/new")
    fill_note(champion, title=f"Quiet room for bad news {n}", body="Book the **quiet room** first.")
    champion.get_by_role("button", name="Publish").click()
    expect(champion.get_by_role("status")).to_contain_text("Published")
    expect(champion.get_by_role("heading", level=1)).to_have_text(f"Quiet room for bad news {n}")

    # A staff member writes a note; the personal-data guard warns before it is sent.
    staff = open_as(browser, base_url, who["staff"], javascript=javascript)
    staff.goto("/practice/new")
    title = f"Warm handovers {n}"
    fill_note(staff, title=title, body=f"Mrs Smith (NHS {NHS_NUMBER}) was walked over to the office.\n\n- Ring first")
    if javascript:  # the live preview shows the rendered body and the warning as they type
        expect(staff.locator("#preview-body")).to_contain_text("Ring first")
        expect(staff.get_by_role("region", name="This may contain personal data")).to_be_visible()
        expect(staff.locator(".personal-data-text mark")).to_have_text(NHS_NUMBER)
        check(staff, "practice-editor-preview", javascript)
    else:
        staff.get_by_role("button", name="Preview").click()
        expect(staff.locator("#preview-body li")).to_have_text("Ring first")
    staff.get_by_role("button", name="Send for review").click()
    warning = staff.get_by_role("region", name="This may contain personal data")
    expect(warning).to_be_visible()
    expect(warning.locator("mark")).to_have_text(NHS_NUMBER)
    expect(staff.get_by_label("Body", exact=True)).to_have_value(re.compile(NHS_NUMBER))  # input kept
    check(staff, "practice-personal-data" if javascript else None, javascript)
    staff.get_by_label("Body", exact=True).fill("A relative was walked over to the office.\n\n- Ring first")
    staff.get_by_role("button", name="Send for review").click()
    expect(staff.get_by_role("status")).to_contain_text("A service champion for your area will review it")

    # The champion sees it in the one queue (badge in the header) and asks for changes.
    champion.goto("/")
    expect(champion.locator("#queue-badge .count-badge")).to_have_text("1")
    champion.locator("#queue-badge").click()
    expect(champion.get_by_role("heading", name="Notes to review", level=1)).to_be_visible()
    champion.get_by_role("link", name=title).click()
    expect(champion.get_by_text("This is the first version: everything is new.")).to_be_visible()
    champion.get_by_role("link", name="Ask for changes").click()
    check(champion, None, javascript)
    champion.get_by_label("Reason").fill("Say which office, and how long the walk takes.")
    champion.get_by_role("button", name="Send it back").click()
    expect(champion.get_by_role("status")).to_contain_text("Sent back to the author")

    # The author reads the reason, edits and sends it again.
    staff.goto("/practice/mine")
    staff.get_by_role("link", name=title).click()
    expect(staff.get_by_text("Say which office, and how long the walk takes.")).to_be_visible()
    staff.get_by_role("link", name="Change it").click()
    staff.get_by_label("Body", exact=True).fill(
        "A relative was walked over to the bereavement office, two minutes away.\n\n- Ring first")
    staff.get_by_role("button", name="Send for review").click()
    expect(staff.get_by_role("status")).to_contain_text("A service champion for your area will review it")

    # The champion reads the word diff and approves.
    champion.goto("/practice/review")
    champion.get_by_role("link", name=title).click()
    body_diff = champion.locator(".diff__field", has_text="Body")
    expect(body_diff.locator("ins").first).to_contain_text("bereavement")
    expect(body_diff.locator("del")).to_have_count(0)
    expect(champion.locator(".diff__field", has_text="Tags")).to_contain_text("(no change)")
    check(champion, "practice-review-diff" if javascript else None, javascript)
    champion.get_by_role("button", name="Publish it").click()
    expect(champion.get_by_role("status")).to_contain_text("Published. The author has been told.")

    # A colleague finds it with the search box in the header, marks it useful and flags it.
    colleague = open_as(browser, base_url, who["colleague"], javascript=javascript)
    colleague.goto("/practice")
    colleague.get_by_label("Search for practice notes, thank-yous and colleagues").fill(title)
    colleague.get_by_label("Search for practice notes, thank-yous and colleagues").press("Enter")
    expect(colleague).to_have_url(re.compile(r"/search\?q="))
    colleague.get_by_role("main").get_by_role("link", name=title).first.click()
    useful = colleague.get_by_role("button", name=re.compile(r"^Useful"))
    expect(useful).to_have_attribute("aria-pressed", "false")
    useful.click()
    expect(colleague.get_by_role("button", name=re.compile(r"^Useful"))).to_have_attribute("aria-pressed", "true")
    expect(colleague.get_by_text("1 person found this useful")).to_be_visible()
    check(colleague, "practice-note" if javascript else None, javascript)
    colleague.get_by_role("link", name="Flag a problem with this note").click()
    colleague.get_by_label("It is out of date").check()
    colleague.get_by_label("Tell the champions more").fill("The office moved to level 2.")
    colleague.get_by_role("button", name="Send flag").click()
    expect(colleague.get_by_role("status")).to_contain_text("Thank you for telling us")

    # The champion keeps it up from the queue (htmx swaps the item and the badges; without JS, a redirect).
    champion.goto("/practice/review")
    expect(champion.locator("#queue-badge .count-badge")).to_have_text("1")
    flagged = champion.locator(".queue-item", has_text=title)
    expect(flagged).to_contain_text("1 open flag")
    check(champion, "practice-queue" if javascript else None, javascript)
    flagged.get_by_role("button", name=re.compile(r"^Keep it up")).click()
    expect(champion.get_by_text("Kept up. Its flags are closed.")).to_be_visible()
    expect(champion.locator("#queue-badge .count-badge")).to_have_count(0)

    # ... and features it to their district until next week.
    champion.goto("/practice")
    champion.get_by_role("link", name=title).click()
    champion.get_by_role("link", name="Feature it to a unit").click()
    expect(champion.get_by_text(who["district"])).to_be_visible()
    until = (utcnow() + timedelta(days=7)).date()
    champion.get_by_label("Feature it until").fill(until.isoformat())
    check(champion, None, javascript)
    champion.get_by_role("button", name="Feature it", exact=True).click()
    expect(champion.get_by_role("status")).to_contain_text("Featured")

    # A team member in the district sees it on their home page.
    staff.goto("/")
    featured = staff.get_by_role("region", name="Good practice for your area")
    expect(featured.get_by_role("link", name=title)).to_be_visible()
    check(staff, "practice-home-featured" if javascript else None, javascript)


def test_the_practice_journey_with_javascript(browser: Browser, base_url, live_app):
    journey(browser, base_url, live_app, javascript=True)


def test_the_practice_journey_without_javascript(browser: Browser, base_url, live_app):
    journey(browser, base_url, live_app, javascript=False)


def test_the_xss_corpus_never_runs_in_a_real_browser(browser: Browser, base_url, live_app):
    """Every payload in a note's title, summary, body, prompts and comments, and in a second version (so the word
    diff shows them too): no dialog opens, no script sets a flag, the CSP never has to block anything, and the main
    content holds no element a payload names."""
    from portal.practice import moderation
    from portal.practice.cascade import feature_note
    from portal.practice.reactions import add_comment
    from portal.practice.services import edit_note
    from tests.practice.factories import content, write
    from tests.practice.test_xss import CORPUS, MARKDOWN_LINKS

    payload = " ".join(CORPUS)
    body = "\n\n".join([*CORPUS, *MARKDOWN_LINKS, "<img src=x onerror=\"window.__xss=1\">"])
    with live_app.app_context():
        a = area(f"Browser xss {next(_unique)}")
        shown = write(a.staff, title=CORPUS[0], summary=payload[:200], body_source=body, tips=payload[:2000],
                      confirm=True)
        moderation.approve_note(note=shown, actor=a.champion, clear_personal_data=True)
        for words in CORPUS:
            add_comment(note=shown, author=a.colleague, body=words)
        feature_note(note=shown, actor=a.champion, unit=a.pals, until=(utcnow() + timedelta(days=2)).date())
        waiting = write(a.staff, title=CORPUS[1], summary=payload[:200], body_source=body, confirm=True)
        moderation.request_changes(note=waiting, actor=a.champion, reason=payload[:1000])
        edit_note(note=waiting, editor=a.staff, content=content(a.north, title=CORPUS[2], summary=payload[-200:],
                                                                body_source=f"Changed {body}", tips=payload[:2000]),
                  version=waiting.version, submit=True, confirm_personal_data=True)
        db.session.commit()
        emails = {"champion": a.champion.email, "staff": a.staff.email}
        pages = {"champion": ["/practice/review", f"/practice/{waiting.id}/review", f"/practice/{shown.id}"],
                 "staff": ["/", "/practice", f"/practice/{shown.id}", f"/practice/{waiting.id}",
                           f"/practice/{waiting.id}/edit", "/practice/mine"]}

    events: list[str] = []

    def on_dialog(dialog) -> None:
        events.append(f"dialog {dialog.message}")
        dialog.dismiss()

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            events.append(message.text)

    for who, urls in pages.items():
        page = open_as(browser, base_url, emails[who], javascript=True)
        page.on("dialog", on_dialog)
        page.on("console", on_console)
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            live = page.evaluate("""() => {
                const main = document.querySelector('main') || document.body;
                const bad = main.querySelectorAll('script, iframe, object, embed, svg, math, style, img, base, xss');
                const handlers = [...main.querySelectorAll('*')].filter(el =>
                    [...el.attributes].some(a => a.name.startsWith('on') || a.name === 'style'));
                const links = [...main.querySelectorAll('[href], [src], [action]')].filter(el =>
                    /^\\s*(javascript|data|vbscript):/i.test(el.getAttribute('href') || el.getAttribute('src')
                                                          || el.getAttribute('action') || ''));
                return {bad: bad.length, handlers: handlers.length, links: links.length, flag: window.__xss || 0};
            }""")
            assert live == {"bad": 0, "handlers": 0, "links": 0, "flag": 0}, (url, live)
        assert events == [], events
    check_page(page, "practice-xss-mine")
