"""A colleague asks for a de-brief; a duty supporter claims it, holds it and follows up; with JavaScript and without."""

import itertools

import pytest
from playwright.sync_api import Browser, expect

from portal.common.roles import Role
from portal.debriefs.models import DutySupporter
from portal.extensions import db
from portal.support.models import SupporterProfile, SupportKind
from tests.browser_support import check_page, choose_unit, sign_in
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory

pytestmark = pytest.mark.browser
_unique = itertools.count()


def team_with_duty_supporter(live_app, name: str):
    """A team, a duty supporter for it and a colleague in it (committed); returns their emails and password."""
    tag = next(_unique)
    with live_app.app_context():
        unit = UnitFactory(name=f"{name} {tag}")
        supporter = UserFactory(unit=unit, display_name="Priya Natarajan", roles=(Role.STAFF, Role.SUPPORTER),
                                email=f"priya{tag}@example.nhs.uk")
        staff = UserFactory(unit=unit, display_name="Tom Byrne", email=f"tom{tag}@example.nhs.uk")
        db.session.add(DutySupporter(unit_id=unit.id, user_id=supporter.id))
        db.session.commit()
        return unit.name, staff.email, supporter.email, DEFAULT_PASSWORD


def ask_for_debrief(page, *, note: str) -> None:
    page.get_by_role("link", name="I've had a difficult contact").first.click()
    expect(page.get_by_role("heading", name="If someone is in danger now")).to_be_visible()
    page.get_by_label("Before the end of this shift").check()
    page.get_by_label("Threat of suicide or self-harm").check()
    page.get_by_label("Anything you would like your supporter to know").fill(note)
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Phone number, Teams name or where to find you").fill("07700 900456")
    page.get_by_role("button", name="Ask for a de-brief").click()
    expect(page.get_by_text("We've let the duty supporters know. Someone will be in touch by")).to_be_visible()


def follow_through(page, *, note: str, javascript: bool = True) -> None:
    page.goto("/debriefs/queue")
    page.get_by_role("button", name="Claim this de-brief").first.click()
    expect(page.get_by_role("status")).to_contain_text("You have claimed this de-brief")
    expect(page.get_by_text(note)).to_be_visible()
    page.get_by_label("Your private session note").fill("Talked it through for 40 minutes.")
    page.get_by_role("button", name="Record that the de-brief was held").click()
    expect(page.get_by_role("status")).to_contain_text("We will remind you")
    if javascript:  # axe runs in the page, so only where scripts may run
        check_page(page)
    page.get_by_role("button", name="Record a check-in").click()
    expect(page.get_by_role("status")).to_contain_text("Check-in recorded")
    page.get_by_role("button", name="Close the de-brief").click()
    expect(page.get_by_role("status")).to_contain_text("De-brief closed")
    expect(page.get_by_text("Closed", exact=True).first).to_be_visible()


def test_a_debrief_is_asked_for_claimed_and_followed_up(browser: Browser, base_url, live_app):
    unit_name, staff_email, supporter_email, password = team_with_duty_supporter(live_app, "PALS North")
    note = "A caller told me he would end his life tonight"
    staff = browser.new_context(base_url=base_url).new_page()
    sign_in(staff, staff_email, password)
    staff.get_by_role("link", name="I've had a difficult contact").first.click()
    check_page(staff, "debriefs-form")
    ask_for_debrief(staff, note=note)
    check_page(staff, "debriefs-sent")

    supporter = browser.new_context(base_url=base_url).new_page()
    sign_in(supporter, supporter_email, password)
    expect(supporter.get_by_role("link", name="De-briefs to claim")).to_be_visible()
    supporter.goto("/debriefs/queue")
    expect(supporter.get_by_text(f"Someone in {unit_name}")).to_be_visible()
    expect(supporter.get_by_text(note)).to_have_count(0)
    check_page(supporter, "debriefs-queue")
    follow_through(supporter, note=note)

    staff.goto("/debriefs")
    expect(staff.get_by_text("Closed")).to_be_visible()
    check_page(staff)


def test_the_same_journey_works_without_javascript(browser: Browser, base_url, live_app):
    _unit, staff_email, supporter_email, password = team_with_duty_supporter(live_app, "Jobcentre Leeds")
    note = "Customer threatened to come back with a knife"
    staff = browser.new_context(java_script_enabled=False, base_url=base_url).new_page()
    sign_in(staff, staff_email, password)
    ask_for_debrief(staff, note=note)
    supporter = browser.new_context(java_script_enabled=False, base_url=base_url).new_page()
    sign_in(supporter, supporter_email, password)
    follow_through(supporter, note=note, javascript=False)
    staff.goto("/debriefs")
    expect(staff.get_by_text("Closed")).to_be_visible()


def test_hr_sets_up_the_rota_and_the_signposting(browser: Browser, base_url, live_app):
    n = next(_unique)
    with live_app.app_context():
        unit = UnitFactory(name=f"Complaints team {n}")
        nadia = UserFactory(unit=unit, display_name=f"Nadia Kowalski {n}", roles=(Role.STAFF, Role.SUPPORTER),
                            email=f"nadia{n}@example.nhs.uk")
        db.session.add(SupporterProfile(user_id=nadia.id, kinds=[SupportKind.DEBRIEF.value]))  # only they go on duty
        hr = UserFactory(unit=unit, display_name="Helen Price", roles=(Role.STAFF, Role.HR),
                         email=f"helen{n}@example.nhs.uk")
        db.session.commit()
        hr_email = hr.email
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, hr_email, DEFAULT_PASSWORD)
    page.goto("/debriefs/rota")
    choose_unit(page, "duty-unit_id", f"Complaints team {n}", f"Complaints team {n}")
    page.get_by_label("Supporter on duty").select_option(label=f"Nadia Kowalski {n} (nadia{n}@example.nhs.uk)")
    page.get_by_role("button", name="Put on duty").click()
    expect(page.get_by_role("status")).to_contain_text(f"Nadia Kowalski {n} is now on duty")
    check_page(page, "debriefs-rota")
    page.get_by_role("link", name="De-brief settings").click()
    page.get_by_label("Safety and support text").fill("**Call 999** if anyone is in danger.\n\n"
                                                      "**Employee Assistance Programme**: 0800 123 4567")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("De-brief settings saved")
    check_page(page, "debriefs-settings")
    page.goto("/debriefs/insights")  # moved to the insight pages
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer support figures")
    page.goto("/debriefs/new")
    expect(page.get_by_text("0800 123 4567")).to_be_visible()
