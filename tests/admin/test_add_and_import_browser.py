"""Item 12 in a browser, with JavaScript and without: "Add a person" starts with Staff ticked and shows every
error at once, each linked from the summary; the HR import's preview refuses a mistyped unit path unless creating
units was chosen."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import Browser, expect

from portal.extensions import db
from tests.browser_support import check_page, choose_unit, make_person, sign_in
from tests.factories import UnitFactory

pytestmark = pytest.mark.browser
_runs = itertools.count()


@pytest.fixture
def admin(live_app):
    email, password, _ = make_person(live_app, display_name="Sam Okoro", admin=True)
    return email, password


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_add_a_person_starts_with_staff_and_shows_every_error(browser: Browser, base_url, admin, javascript,
                                                              live_app):
    run = next(_runs)
    with live_app.app_context():
        UnitFactory(name=f"Picker office {run}-{javascript}", parent=UnitFactory(name=f"Picker district {run}"))
        db.session.commit()
    page = browser.new_context(java_script_enabled=javascript, base_url=base_url).new_page()
    sign_in(page, *admin)
    page.goto("/admin/users/new")
    expect(page.get_by_role("checkbox", name="Staff", exact=True)).to_be_checked()
    if javascript:
        check_page(page, "admin-person-new")
    page.get_by_label("Email", exact=True).fill("not an email")
    page.get_by_label("Temporary password").fill("short")
    page.get_by_role("checkbox", name="Staff", exact=True).uncheck()
    page.get_by_role("button", name="Add person").click()
    summary = page.locator(".error-summary")
    expect(page).to_have_title(re.compile("^Error: "))
    for message in ("Enter the person's full name", "Enter an email address like name@nhs.net.",
                    "Choose the unit they work in", "Choose at least one role.", "Use at least 10 characters."):
        expect(summary.get_by_role("link", name=message)).to_have_count(1)
    expect(page.get_by_label("Email", exact=True)).to_have_value("not an email")
    if javascript:  # axe runs in the page: only with JavaScript
        check_page(page, "admin-person-new-errors")
    summary.get_by_role("link", name="Enter the person's full name").click()
    expect(page).to_have_url(re.compile("#display_name$"))

    # Put right: the unit comes from the unit picker (matches as you type, or "Find" without JavaScript).
    page.get_by_label("Full name").fill(f"Rhys Picker {run}")
    page.get_by_label("Email", exact=True).fill(f"rhys.picker.{run}.{javascript}@example.nhs.uk")
    page.get_by_role("checkbox", name="Staff", exact=True).check()
    choose_unit(page, "unit_id", f"Picker office {run}-{javascript}",
                f"Picker district {run} / Picker office {run}-{javascript}", js=javascript)
    expect(page.get_by_label("Full name")).to_have_value(f"Rhys Picker {run}")
    page.get_by_label("Temporary password").fill("a long temporary password")
    page.get_by_label("Full name").press("Enter")  # Enter adds the person: the picker's buttons are not the default
    expect(page.get_by_role("status")).to_contain_text(f"Rhys Picker {run} has been added")
    expect(page.locator("main")).to_contain_text(f"Picker district {run} / Picker office {run}-{javascript}")
    if javascript:
        check_page(page, "admin-person-added")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_unknown_unit_path_is_an_error_in_the_preview(browser: Browser, base_url, admin, javascript, tmp_path):
    n = next(_runs)
    page = browser.new_context(java_script_enabled=javascript, base_url=base_url).new_page()
    sign_in(page, *admin)
    csv = tmp_path / "people.csv"
    csv.write_text("staff_number,email,name,unit,manager_email,roles\r\n"
                   f"B{n}{javascript:d}1,ana{n}{javascript:d}@example.nhs.uk,Ana Silva,Nortfield {n}/PALS,,staff\r\n")
    page.goto("/admin/users/import")
    expect(page.get_by_role("checkbox", name="Create units that do not exist yet")).not_to_be_checked()
    if javascript:
        check_page(page, "admin-import")
    page.get_by_label("HR file (CSV)").set_input_files(str(csv))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    problem = f'Row 2: There is no top-level unit called "Nortfield {n}".'
    expect(page.get_by_role("link", name=re.compile(re.escape(problem)))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    if javascript:
        check_page(page, "admin-import-unknown-unit")

    page.get_by_label("HR file (CSV)").set_input_files(str(csv))
    page.get_by_role("checkbox", name="Create units that do not exist yet").check()
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("These units do not exist yet and will be created:")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=f"Nortfield {n}/PALS")).to_have_count(1)
    if javascript:
        check_page(page, "admin-import-create-units")
    page.get_by_label("No, not now").check()
    page.get_by_role("button", name="Import 1 person").click()
    expect(page.get_by_role("status")).to_contain_text("1 person added")
    expect(page.get_by_role("status")).to_contain_text("2 new units.")
