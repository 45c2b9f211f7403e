"""HR looks at the insight pages and a line manager at their team, in a real Chromium: axe on every page, the unit
filter used with and without JavaScript, screenshots at desktop and phone width (/tmp/shots/insight)."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from portal.db import utcnow
from portal.extensions import db
from portal.insight.periods import last_months
from portal.recognition.models import Visibility
from portal.support.models import BookingStatus, SupportKind
from tests.awards.factories import make_scheme, nominate
from tests.browser_support import WIDTHS, assert_accessible, sign_in
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory
from tests.insight.data import booking, debrief, mentoring
from tests.recognition.factories import thank

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots/insight")
_unique = itertools.count()
NAMES = ["Aisha Rahman", "Daniel Hughes", "Margaret Ellis", "Priya Shah", "Tom Byrne", "Nadia Kowalski",
         "Owen Price", "Grace Adeyemi", "Huw Jenkins", "Li Wei", "Sofia Costa", "Callum Reid"]


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, (width, height) in {**WIDTHS, "phone": (390, 844)}.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)


def an_organisation(live_app) -> dict:
    """A trust's PALS service and a Jobcentre, a year of thanks and peer support; returns sign-in emails."""
    n = next(_unique)
    with live_app.app_context():
        trust = UnitFactory(name=f"Northfield NHS Trust {n}")
        pals = UnitFactory(name=f"PALS service {n}", parent=trust)  # unique: browser tests share one database
        north, south = UnitFactory(name="North team", parent=pals), UnitFactory(name="South team", parent=pals)
        nights = UnitFactory(name="Night shift", parent=pals)
        jobcentre = UnitFactory(name="Jobcentre Plus Leeds", parent=trust)
        hr = UserFactory(unit=trust, display_name="Helen Price", hr=True, email=f"helen.insight{n}@example.nhs.uk")
        claire = UserFactory(unit=north, display_name="Claire Bennett", email=f"claire.insight{n}@example.nhs.uk")
        units = [north, south, jobcentre, nights]
        people = [UserFactory(unit=units[i % 4], display_name=f"{name} {n}", manager=claire if i < 5 else None,
                              job_title="Patient advice officer")
                  for i, name in enumerate(NAMES)]
        # A night-shift worker nobody has thanked: the quiet achiever the gaps page and the manager's nudge are for.
        UserFactory(unit=nights, display_name=f"Bronwen Morgan {n}", manager=claire, job_title="Night support worker")
        supporter = UserFactory(unit=trust, display_name=f"Sue Porter {n}", supporter=True)
        months = last_months(12)
        for index, month in enumerate(months):
            for k in range(2 + index % 5 + (index == 11) * 3):
                giver, person = people[(index + k) % 8], people[(index + k + 3) % 8]
                if giver is not person:
                    thank(giver, person, created_at=month.start + timedelta(days=k + 1, hours=10),
                          values=("Listened", "Timely") if k % 2 else ("Compassion under pressure",),
                          visibility=Visibility.PRIVATE if k == 3 else Visibility.PUBLIC)
            for k in range(3 + index % 7):
                booking(people[k % 10], at=month.start + timedelta(days=k + 2, hours=9), supporter=supporter,
                        kind=list(SupportKind)[k % 4], status=BookingStatus.ATTENDED)
            for k in range(index % 6 + 2):
                debrief(people[k % 12], at=month.start + timedelta(days=k + 3, hours=14),
                        claimed_after=timedelta(minutes=15 + 10 * k) if k % 3 else None, supporter=supporter)
            for k in range(index % 4):
                mentoring(people[k], asked=month.start, accepted=month.start + timedelta(days=2), mentor=supporter,
                          ended=month.start + timedelta(days=20))
        for _ in range(3):
            thank(people[0], people[1], created_at=utcnow() - timedelta(days=5))
            thank(people[1], people[0], created_at=utcnow() - timedelta(days=4))
        scheme = make_scheme(name=f"Night Shift Awards {n}")
        nominate(scheme, nominator=people[6], nominee=people[2])
        nominate(scheme, nominator=people[7], nominee=people[2], allow_duplicate=True)
        nominate(scheme, nominator=people[7], nominee=people[2], allow_duplicate=True)
        db.session.commit()
        return {"hr": hr.email, "manager": claire.email, "trust": trust.name, "pals": pals.name, "pals_id": pals.id}


def signed_in_page(browser: Browser, base_url: str, email: str, *, javascript: bool = True) -> Page:
    page = browser.new_context(base_url=base_url, java_script_enabled=javascript).new_page()
    page.set_default_timeout(20_000)
    sign_in(page, email, DEFAULT_PASSWORD)
    return page


def test_hr_reads_the_insight_pages(browser: Browser, base_url, live_app):
    people = an_organisation(live_app)
    page = signed_in_page(browser, base_url, people["hr"])
    page.get_by_role("link", name="Insight", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insight")
    assert_accessible(page)
    shoot(page, "index")

    page.get_by_role("link", name="Recognition over time").first.click()
    page.get_by_label("Search for a unit by name").fill(people["pals"])
    page.get_by_role("radio", name=f"{people['trust']} / {people['pals']}", exact=True).check()
    page.get_by_label("Period").select_option("12")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("img", name="Thank-yous received each month")).to_be_visible()
    expect(page.get_by_role("table", name="Thank-yous received by unit")).to_contain_text("Night shift")
    assert_accessible(page)
    shoot(page, "recognition")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download these figures \(CSV\).*received by value")).click()
    assert download.value.suggested_filename.startswith("recognition-by-value-")

    page.goto(f"/insight/gaps?unit={people['pals_id']}")
    expect(page.get_by_role("heading", name="People with no recognition", exact=False)).to_be_visible()
    assert_accessible(page)
    shoot(page, "gaps")

    page.goto("/insight/signals")
    expect(page.get_by_role("table", name="People who thanked each other")).to_be_visible()
    assert_accessible(page)
    shoot(page, "signals")

    page.goto("/insight/peer-support")
    expect(page.get_by_role("img", name="Sessions booked each month")).to_be_visible()
    expect(page.get_by_text("fewer than 5").first).to_be_visible()
    assert_accessible(page)
    shoot(page, "peer-support")


def test_hr_filters_by_unit_without_javascript(browser: Browser, base_url, live_app):
    people = an_organisation(live_app)
    page = signed_in_page(browser, base_url, people["hr"], javascript=False)
    page.goto("/insight/peer-support")
    page.get_by_label("Search for a unit by name").fill("Jobcentre Plus")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text("Counts only, for", exact=False)).to_contain_text("Jobcentre Plus Leeds")
    expect(page.get_by_role("table", name="De-brief requests each month")).to_be_visible()


def test_a_line_manager_sees_their_team_and_its_nominations(browser: Browser, base_url, live_app):
    people = an_organisation(live_app)
    page = signed_in_page(browser, base_url, people["manager"])
    page.get_by_role("link", name="People you manage not thanked or nominated", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your team's recognition")
    expect(page.get_by_role("table", name="Recognition of the people you manage", exact=False)).to_be_visible()
    assert_accessible(page)
    shoot(page, "team")
    page.get_by_role("link", name="Nominations for the people you manage").click()
    expect(page.get_by_role("heading", name="Nominations for the people you manage")).to_be_visible()
    assert_accessible(page)
    shoot(page, "awards-team")
