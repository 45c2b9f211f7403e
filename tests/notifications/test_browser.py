"""The bell in a real browser: another person acts, and the open page's count changes without a reload."""

import pytest
from playwright.sync_api import Browser, expect

from portal.common.roles import Role
from tests.browser_support import check_page, make_person, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def quick_bell(live_app):
    previous = live_app.config["BELL_POLL_SECONDS"]
    live_app.config["BELL_POLL_SECONDS"] = 1
    yield
    live_app.config["BELL_POLL_SECONDS"] = previous


def test_bell_count_changes_after_another_user_acts(browser: Browser, base_url, live_app, quick_bell):
    staff_email, password, staff_id = make_person(live_app, display_name="Olu Adeyemi")
    admin_email, _, _ = make_person(live_app, display_name="Sam Admin", roles=(Role.STAFF, Role.ADMIN))

    staff = browser.new_context(base_url=base_url).new_page()
    sign_in(staff, staff_email, password)
    expect(staff.get_by_role("heading", level=1)).to_have_text("Hello, Olu")
    expect(staff.get_by_test_id("bell-count")).to_have_count(0)

    admin = browser.new_context(base_url=base_url).new_page()
    sign_in(admin, admin_email, password)
    admin.goto(f"/admin/users/{staff_id}")
    admin.get_by_label("Service champion").check()
    admin.get_by_role("button", name="Save changes").click()
    expect(admin.get_by_role("status")).to_contain_text("saved", ignore_case=True)

    # No reload on the staff page: the bell's gentle poll picks the change up.
    expect(staff.get_by_test_id("bell-count")).to_have_text("1", timeout=10_000)
    staff.get_by_role("link", name="Notifications").click()
    expect(staff.get_by_role("heading", name="Your roles in Frontline have changed")).to_be_visible()
    check_page(staff, "notifications")
    staff.get_by_role("button", name="Mark as read").click()
    expect(staff.get_by_test_id("bell-count")).to_have_count(0)
    expect(staff.get_by_role("button", name="Mark as read")).to_have_count(0)
    expect(staff.get_by_role("heading", name="Your roles in Frontline have changed")).to_be_focused()
    staff.get_by_role("button", name="Open").first.click()
    expect(staff.get_by_test_id("bell-count")).to_have_count(0)

    staff.goto("/notifications/preferences")
    check_page(staff, "notification-settings")
    staff.get_by_role("group", name="When your roles in Frontline change").get_by_label(
        "In my daily summary email").check()
    staff.get_by_label("Time of your daily summary").select_option("19:00")
    staff.get_by_role("button", name="Save settings").click()
    expect(staff.get_by_role("status")).to_contain_text("Your notification settings are saved")

    admin.goto("/admin/emails")
    check_page(admin, "admin-emails")
    admin.get_by_role("link", name="Your roles in Frontline have changed").first.click()
    expect(admin.get_by_text("Message-ID")).to_be_visible()
    check_page(admin, "admin-email")


def test_notifications_work_without_javascript(browser: Browser, base_url, live_app):
    email, password, person_id = make_person(live_app, display_name="Bea Lewis")
    with live_app.app_context():
        from portal.auth.models import User
        from portal.extensions import db
        from portal.notifications.services import notify

        notify(recipient=db.session.get(User, person_id), kind="account.roles_changed", subject="Plain HTML works",
               url="/notifications/preferences")
        db.session.commit()
    page = browser.new_context(java_script_enabled=False, base_url=base_url).new_page()
    sign_in(page, email, password)
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification settings")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
