"""HR exports recognition from the form: choose the days and a unit, count the rows, download the CSV and the
spreadsheet; with JavaScript (the count follows every change) and without. Axe finds nothing; screenshots of the
form, the data dictionary and the API tokens page."""

import csv
import io
import itertools
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from portal.common.roles import Role
from portal.extensions import db
from tests.browser_support import check_page, sign_in
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory
from tests.recognition.factories import thank

pytestmark = pytest.mark.browser
_unique = itertools.count()


def hr_with_thanks(live_app) -> tuple[str, str]:
    """An HR person, and a team (its name unique) where three people were thanked in March 2025 (committed)."""
    from datetime import UTC, datetime

    n = next(_unique)
    with live_app.app_context():
        trust = UnitFactory(name=f"Hillside Trust {n}")
        team = UnitFactory(name=f"Complaints desk {n}", parent=trust)
        hr = UserFactory(unit=trust, roles=(Role.STAFF, Role.HR), display_name="Helen Price",
                         email=f"helen.hr{n}@example.nhs.uk")
        giver = UserFactory(unit=team, display_name="Priya Shah", email=f"priya.hr{n}@example.nhs.uk")
        people = [UserFactory(unit=team, display_name=name, email=f"{name.split()[0].lower()}.hr{n}@example.nhs.uk")
                  for name in ("Tom Byrne", "Sam Okafor", "Gwenllïan Ŵyn")]
        for day, person in enumerate(people, 10):
            thank(giver, person, created_at=datetime(2025, 3, day, 9, 0, tzinfo=UTC))
        db.session.commit()
        return hr.email, team.name


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def choose(page, team: str) -> None:
    page.get_by_label("From", exact=True).fill("2025-03-01")
    page.get_by_label("To", exact=True).fill("2025-03-31")
    page.get_by_label("Search for a unit by name").fill(team)
    page.get_by_role("button", name="Find").click()
    page.get_by_label(team, exact=False).check()


def test_hr_counts_and_downloads_an_export(browser: Browser, base_url, live_app):
    email, team = hr_with_thanks(live_app)
    context = browser.new_context(base_url=base_url, accept_downloads=True)
    page = context.new_page()
    sign_in(page, email, DEFAULT_PASSWORD)
    page.goto("/hr/exports")
    expect(page.get_by_role("heading", name="Export recognition data")).to_be_visible()
    check_page(page, "hr-export-form")
    choose(page, team)
    page.get_by_role("button", name="Count rows").click()
    expect(page.locator("#preview")).to_contain_text("3 rows")
    check_page(page, "hr-export-counted")
    # With JavaScript the count follows the form: a narrower period counts again without a button.
    page.get_by_label("To", exact=True).fill("2025-03-10")
    page.get_by_label("To", exact=True).blur()
    expect(page.locator("#preview")).to_contain_text("1 row")
    page.get_by_label("To", exact=True).fill("2025-03-31")
    page.get_by_label("To", exact=True).blur()
    expect(page.locator("#preview")).to_contain_text("3 rows")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download CSV").click()
    rows = read_csv(csv_download.value.path())
    assert sorted(row["recipient"] for row in rows) == ["Gwenllïan Ŵyn", "Sam Okafor", "Tom Byrne"]
    assert csv_download.value.suggested_filename.endswith("2025-03-01 to 2025-03-31.csv")
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download spreadsheet").click()
    book = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert book.sheetnames == ["Summary", "Recognition", "Columns"]
    page.get_by_role("link", name="What each column means").first.click()
    expect(page.get_by_role("heading", name="What each export column means")).to_be_visible()
    check_page(page, "hr-export-columns")
    page.goto("/hr/api-tokens")
    check_page(page, "hr-api-tokens")
    page.get_by_role("link", name="Create a token").click()
    page.get_by_label("Name", exact=True).fill("Payroll recognition report")
    page.get_by_label("Read recognition rows").check()
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Copy the token now")).to_be_visible()
    check_page(page, "hr-api-token-created")


def test_the_export_works_without_javascript(browser: Browser, base_url, live_app):
    email, team = hr_with_thanks(live_app)
    context = browser.new_context(base_url=base_url, java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    sign_in(page, email, DEFAULT_PASSWORD)
    page.goto("/hr/exports")
    choose(page, team)
    page.get_by_role("button", name="Count rows").click()
    expect(page.locator("#preview")).to_contain_text("3 rows")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert len(read_csv(download.value.path())) == 3


def test_mistakes_are_shown_next_to_the_fields(browser: Browser, base_url, live_app):
    email, _team = hr_with_thanks(live_app)
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, email, DEFAULT_PASSWORD)
    page.goto("/hr/exports?from=2025-03-31&to=2025-03-01")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_text("The To date must be the same as or after the From date").first).to_be_visible()
    expect(page.get_by_label("From", exact=True)).to_have_value("2025-03-31")
    check_page(page, "hr-export-error")
