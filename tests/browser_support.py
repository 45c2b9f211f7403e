"""Helpers for Playwright tests: axe-core checks, screenshots at desktop and phone width, committed test data."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from playwright.sync_api import Page

from portal.extensions import db
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory

AXE = Path(__file__).parent / "assets" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}
_unique = itertools.count()


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core (vendored from the npm package, 4.14.1) on the page as it is now.

    Injected through the DevTools protocol (page.evaluate), which our CSP rightly does not allow a <script> tag to do.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", WCAG_TAGS
    )
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result]


def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def assert_accessible(page: Page) -> None:
    # A submit's expect() can pass once the new DOM exists but before its stylesheets apply; axe on an unstyled page
    # measures 16px links and fails target-size. Wait for the page's own load event first.
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert violations == [], f"axe found on {page.url}:\n{json.dumps(violations, indent=2)}"


def screenshot(page: Page, name: str) -> None:
    """Save full-page PNGs at 1280 and 375 px wide (screenshots/NAME-desktop.png, NAME-phone.png)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    original = page.viewport_size
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)


def check_page(page: Page, name: str | None = None) -> None:
    """Every page a browser test visits: zero axe violations, and a screenshot when named."""
    assert_accessible(page)
    if name:
        screenshot(page, name)


def choose_unit(page: Page, name: str, words: str, label: str, *, js: bool = True) -> None:
    """Choose a unit with the unit picker whose field is ``name``: type ``words``; without JavaScript press "Find";
    then check the match labelled ``label`` ("Trust / PALS / North team")."""
    page.locator(f"[id='{name}_q']").fill(words)
    if not js:
        page.locator(f"button[name='{name}_find']").click()
    page.locator(f"[id='{name}-picker']").get_by_role("radio", name=label, exact=True).check()


def make_person(live_app, **kwargs):
    """Create and commit a person in the live server's database; returns (email, password, user id)."""
    n = next(_unique)
    with live_app.app_context():
        unit = kwargs.pop("unit", None) or UnitFactory(name=f"Browser team {n}-{id(live_app)}")
        kwargs.setdefault("email", f"browser{n}-{id(unit)}@example.nhs.uk")
        user = UserFactory(unit=unit, **kwargs)
        db.session.commit()
        return user.email, DEFAULT_PASSWORD, user.id


def sign_in(page: Page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
