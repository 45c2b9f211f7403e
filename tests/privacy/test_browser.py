"""A person reads everything Frontline holds about them and downloads it, in a real Chromium: axe on the page, the
JSON file is theirs, screenshots at desktop and phone width (/tmp/shots/insight)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from portal.extensions import db
from tests.browser_support import WIDTHS, assert_accessible, sign_in
from tests.factories import DEFAULT_PASSWORD
from tests.privacy.test_my_data import a_person_and_their_world

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots/insight")


def test_a_person_reads_and_downloads_their_own_data(browser: Browser, base_url, live_app, tmp_path):
    with live_app.app_context():
        priya, _records = a_person_and_their_world()
        email, person_id = priya.email, priya.id
        db.session.commit()
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, email, DEFAULT_PASSWORD)
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Everything Frontline holds about you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything Frontline holds about you")
    expect(page.get_by_text("TO-ME: you stayed on the line")).to_be_visible()
    expect(page.get_by_text("OTHERS:")).to_have_count(0)
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in {**WIDTHS, "phone": (390, 844)}.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"my-data-{label}.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download it all as a file (JSON)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["person_id"] == person_id and data["profile"][0]["email"] == email
    assert "OTHERS:" not in saved.read_text(encoding="utf-8")
