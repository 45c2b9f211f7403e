"""A scheme end to end in a real browser: HR creates it, a colleague nominates (JavaScript off), another
co-signs, the line manager endorses, a blind panel scores and decides (JavaScript off), the winner consents, the
award is announced and the nominee has been told throughout. axe finds nothing on any page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.awards.models import AwardScheme, Nomination
from portal.common.roles import Role
from portal.extensions import db
from portal.notifications.models import Notification
from tests.browser_support import check_page, make_person, sign_in

pytestmark = pytest.mark.browser
WHAT = ("When a caller said he had nothing left to live for, Amira kept him talking for forty minutes until the "
        "crisis team arrived, then made sure the rest of us were alright.")
DIFFERENCE = "He rang back a week later to say thank you. The whole team talks about how calm she was."


def person_page(browser: Browser, base_url: str, email: str, *, javascript: bool = True) -> Page:
    page = browser.new_context(base_url=base_url, java_script_enabled=javascript).new_page()
    page.set_default_timeout(20_000)
    sign_in(page, email)
    return page


def test_a_scheme_end_to_end(browser: Browser, base_url, live_app):
    hr_email, _, _ = make_person(live_app, display_name="Helen HR", roles=(Role.STAFF, Role.HR))
    panel_email, _, _ = make_person(live_app, display_name="Priya Panel", roles=(Role.STAFF, Role.PANEL))
    manager_email, _, manager_id = make_person(live_app, display_name="Marcus Manager")
    nominee_email, _, nominee_id = make_person(live_app, display_name="Amira Hassan", manager_id=manager_id)
    nominator_email, _, _ = make_person(live_app, display_name="Nadia Nominator")
    cosigner_email, _, _ = make_person(live_app, display_name="Colin Cosigner")
    today = date.today()

    # HR creates the scheme.
    hr = person_page(browser, base_url, hr_email)
    hr.goto("/awards")
    hr.get_by_role("link", name="Manage award schemes").click()
    hr.get_by_role("link", name="Create a scheme").click()
    hr.get_by_role("button", name="Create scheme").click()
    expect(hr.get_by_role("alert")).to_contain_text("Enter the scheme's name.")
    check_page(hr, "awards-scheme-errors")
    hr.get_by_label("Name", exact=True).fill("Patient Experience Awards 2026")
    hr.get_by_label("Opens for nominations on").fill(today.isoformat())
    hr.get_by_label("Closes for nominations on").fill((today + timedelta(days=30)).isoformat())
    hr.get_by_label("Panel decisions due by").fill((today + timedelta(days=45)).isoformat())
    hr.get_by_label("Category 1: name").fill("Compassion under pressure")
    hr.get_by_label("Category 1: criteria, one per line").fill(
        "What did they do, with an example?\nWhat difference did it make?")
    hr.get_by_label("Category 2: name").fill("Quiet achiever")
    hr.get_by_label("Category 2: criteria, one per line").fill("What do they do that too few people notice?")
    hr.get_by_label("The nominee's line manager must endorse each nomination").check()
    hr.get_by_label("Blind review: the panel does not see who nominated or co-signed").check()
    hr.get_by_label("Ask winners' consent before announcing their award").check()
    hr.get_by_label("Priya Panel", exact=False).check()
    check_page(hr, "awards-scheme-form")
    hr.get_by_role("button", name="Create scheme").click()
    expect(hr.get_by_role("status")).to_contain_text("has been created")
    check_page(hr, "awards-schemes")

    # A colleague nominates, with JavaScript off (axe and screenshots need JavaScript: a second tab has it on).
    looking = person_page(browser, base_url, nominator_email)
    looking.goto("/awards")
    check_page(looking, "awards-index")
    looking.get_by_role("link", name="Nominate for Patient Experience Awards 2026").click()
    check_page(looking, "awards-choose-category")
    looking.get_by_role("link", name="Nominate for Compassion under pressure").click()
    # Only the chosen kind's question shows: the team picker appears when "A team" is chosen, and goes again.
    team_picker, colleague_picker = looking.locator("#team-picker"), looking.locator("#picker")
    expect(team_picker).to_be_hidden()
    looking.get_by_role("radio", name="A team").check()
    expect(team_picker).to_be_visible()
    expect(team_picker.get_by_label("Search for a unit by name")).to_be_visible()
    expect(colleague_picker).to_be_hidden()
    looking.get_by_role("radio", name="A colleague").check()
    expect(team_picker).to_be_hidden()
    # The colleague picker is the thank-you form's: type, then choose from the matches (htmx swaps the picker).
    looking.get_by_label("Search for a colleague by name").fill(nominee_email)
    looking.get_by_role("button", name="Choose Amira Hassan").click()
    expect(looking.get_by_test_id("chosen-people")).to_contain_text("Amira Hassan")
    expect(team_picker).to_be_hidden()
    looking.get_by_label("What did they do, with an example?").fill(WHAT)
    looking.get_by_label("What difference did it make?").fill("Short")
    looking.get_by_role("button", name="Send nomination").click()
    expect(looking.locator("#answer_1-error")).to_contain_text("Write between 20 and 2000 characters")
    expect(looking.get_by_test_id("chosen-people")).to_contain_text("Amira Hassan")
    expect(team_picker).to_be_hidden()
    check_page(looking, "awards-nomination-form")

    nominator = person_page(browser, base_url, nominator_email, javascript=False)
    nominator.goto("/awards")
    nominator.get_by_role("link", name="Nominate for Patient Experience Awards 2026").click()
    nominator.get_by_role("link", name="Nominate for Compassion under pressure").click()
    expect(nominator.locator("#team-picker")).to_be_visible()  # without JavaScript both questions show
    nominator.get_by_label("What did they do, with an example?").fill(WHAT)
    nominator.get_by_label("Search for a colleague by name").fill(nominee_email)
    nominator.get_by_role("main").get_by_role("button", name="Search", exact=True).click()  # back with the matches
    expect(nominator.get_by_label("What did they do, with an example?")).to_have_value(WHAT)
    nominator.get_by_role("button", name="Choose Amira Hassan").click()
    expect(nominator.get_by_test_id("chosen-people")).to_contain_text("Amira Hassan")
    nominator.get_by_label("What difference did it make?").fill("Short")
    nominator.get_by_role("button", name="Send nomination").click()
    expect(nominator.locator("#answer_1-error")).to_contain_text("Write between 20 and 2000 characters")
    expect(nominator.get_by_test_id("chosen-people")).to_contain_text("Amira Hassan")
    nominator.get_by_label("What difference did it make?").fill(DIFFERENCE)
    nominator.get_by_role("button", name="Send nomination").click()
    expect(nominator.get_by_role("status")).to_contain_text("Your nomination of Amira Hassan has been sent")
    nomination_url = nominator.url
    looking.goto(nomination_url)
    check_page(looking, "awards-nomination")

    # A colleague co-signs from the link.
    cosigner = person_page(browser, base_url, cosigner_email)
    cosigner.goto(nomination_url)
    cosigner.get_by_label("Why you support this nomination").fill("She did the same for my caller last month.")
    cosigner.get_by_role("button", name="Co-sign this nomination").click()
    expect(cosigner.get_by_role("status")).to_contain_text("You have co-signed")

    # The line manager endorses.
    manager = person_page(browser, base_url, manager_email)
    manager.goto("/")
    manager.get_by_role("link", name="Nominations to endorse").click()
    manager.get_by_role("link", name="Endorse or decline Amira Hassan").click()
    check_page(manager, "awards-endorse")
    manager.get_by_label("Yes, I endorse it").check()
    manager.get_by_label("Your comments").fill("Amira is exactly who this award is for.")
    manager.get_by_role("button", name="Send").click()
    expect(manager.get_by_role("status")).to_contain_text("The nominator has been told")

    # The blind panel scores and decides, with JavaScript off.
    panel = person_page(browser, base_url, panel_email, javascript=False)
    panel.goto("/")
    panel.get_by_role("link", name="Nominations to review").click()
    panel.get_by_role("link", name="Patient Experience Awards 2026").click()
    panel.get_by_role("link", name="Amira Hassan").click()
    expect(panel.get_by_text(WHAT)).to_be_visible()
    for name in ("Nadia Nominator", "Colin Cosigner"):
        expect(panel.get_by_text(name)).to_have_count(0)
    panel.get_by_label("Your score for: What did they do, with an example?").select_option("5")
    panel.get_by_label("Your score for: What difference did it make?").select_option("4")
    panel.get_by_role("button", name="Save scores").click()
    expect(panel.get_by_role("status")).to_contain_text("Your scores have been saved")
    panel_looking = person_page(browser, base_url, panel_email)
    panel_looking.goto(panel.url.replace(base_url, ""))
    for name in ("Nadia Nominator", "Colin Cosigner"):
        expect(panel_looking.get_by_text(name)).to_have_count(0)
    check_page(panel_looking, "awards-panel-view")
    panel_looking.goto("/awards/panel")
    check_page(panel_looking, "awards-panels")
    panel_looking.get_by_role("link", name="Patient Experience Awards 2026").click()
    check_page(panel_looking, "awards-panel-list")
    panel.get_by_label("Award", exact=True).check()
    panel.get_by_label("Reason for the decision").fill("Calm, kind and brave under real pressure.")
    panel.get_by_role("button", name="Record decision").click()
    expect(panel.get_by_role("status")).to_contain_text("Your decision has been recorded")
    panel_looking.goto(panel_looking.url.replace(base_url, ""))  # the list, now with the decision
    panel_looking.get_by_role("link", name="Amira Hassan").click()
    expect(panel_looking.get_by_text("Decided by Priya Panel on")).to_be_visible()
    check_page(panel_looking, "awards-panel-decided")

    # The nominee was told, sees the outcome, and agrees to the announcement.
    with live_app.app_context():
        told = db.session.scalars(select(Notification.kind).where(Notification.recipient_id == nominee_id)).all()
        assert "awards.nominated" in told and told.count("awards.progress") >= 2
    nominee = person_page(browser, base_url, nominee_email)
    nominee.goto("/awards")
    nominee.get_by_role("link", name="Amira Hassan").first.click()
    expect(nominee.get_by_text("Calm, kind and brave under real pressure.")).to_be_visible()
    expect(nominee.get_by_text("Nadia Nominator")).to_be_visible()
    check_page(nominee, "awards-winner-consent")
    nominee.get_by_role("button", name="Yes, announce it").click()
    expect(nominee.get_by_role("status")).to_contain_text("Your award has been announced")
    nominee.goto("/awards")
    expect(nominee.locator("#winners-heading + .card-list")).to_contain_text("Amira Hassan")
    check_page(nominee, "awards-index-winner")
    with live_app.app_context():
        # Other browser tests share this database: the nomination is the one in this test's scheme.
        assert db.session.scalars(select(Nomination).join(AwardScheme).where(
            AwardScheme.name == "Patient Experience Awards 2026")).one().announced_at is not None

    # HR follows the scheme: every nomination, with who nominated (HR is not the blind panel).
    hr.goto("/awards/schemes")
    hr.get_by_role("link", name="Patient Experience Awards 2026").click()
    expect(hr.get_by_role("table")).to_contain_text("Nadia Nominator")
    check_page(hr, "awards-scheme")
