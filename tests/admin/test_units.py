"""The unit tree pages: see the tree with head counts, add a unit, rename and move one."""

import re

import pytest
from sqlalchemy import select

from portal.common.audit import AuditEvent
from portal.extensions import db
from portal.org.models import Unit
from portal.org.services import ensure_unit_path
from tests.factories import UnitFactory, UserFactory
from tests.org.units import find_unit_by_path

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def admin(as_user):
    return as_user(UserFactory(admin=True, unit=ensure_unit_path("Trust/IT")))


@pytest.mark.parametrize("url", ["/admin/units", "/admin/units/1"])
def test_units_pages_are_for_administrators_only(as_user, client, url):
    ensure_unit_path("Trust")
    assert as_user(UserFactory(hr=True)).get(url).status_code == 403
    assert client.get(url).status_code == 302


def test_tree_is_nested_lists_with_people_directly_in_each_unit(admin):
    north = ensure_unit_path("Trust/PALS/North team")
    ensure_unit_path("Trust/PALS/South team")
    UserFactory.create_batch(2, unit=north)
    UserFactory(unit=north, is_active_account=False)
    html = admin.get("/admin/units").get_data(as_text=True)
    flat = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Trust 0 people IT 1 person PALS 0 people North team 2 people South team 0 people" in flat
    # North team's list sits inside PALS's, which sits inside Trust's: three levels of nested lists.
    pals_item = re.search(r'<li class="tree__item">\s*<a href="/admin/units/\d+">PALS</a>.*?</ul>\s*</li>', html,
                          re.S).group(0)
    assert "North team" in pals_item and "South team" in pals_item
    assert html.count('<ul class="tree">') == 3
    assert f'href="/admin/units/{north.id}"' in html


def test_tree_costs_the_same_number_of_queries_however_big_it_is(admin, count_queries):
    ensure_unit_path("Trust/PALS")
    db.session.flush()
    with count_queries() as small:
        admin.get("/admin/units")
    for n in range(15):
        team = ensure_unit_path(f"Trust/PALS/Team {n}/Shift {n}")
        UserFactory(unit=team)
    db.session.flush()
    with count_queries() as big:
        response = admin.get("/admin/units")
    assert "Shift 14" in response.get_data(as_text=True)
    assert big.count == small.count


def test_empty_tree_says_so(as_user):
    # An administrator's own unit is the only one; the page still explains itself.
    response = as_user(UserFactory(admin=True, unit=UnitFactory(name="Only"))).get("/admin/units")
    assert response.status_code == 200
    assert "Add a unit" in response.get_data(as_text=True)


def test_add_a_top_level_unit_and_a_child(admin):
    response = admin.post("/admin/units", data={"name": " Council ", "parent_id": ""})
    assert response.status_code == 303
    council = find_unit_by_path("Council")
    assert council is not None and council.parent_id is None
    response = admin.post("/admin/units", data={"name": "Customer services", "parent_id": str(council.id)},
                          follow_redirects=True)
    assert "Customer services has been added." in response.get_data(as_text=True)
    child = find_unit_by_path("Council/Customer services")
    assert child.path == f"/{council.id}/{child.id}/"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.created",
                                                       AuditEvent.target_id == str(child.id)))
    assert event.actor.email.endswith("@example.nhs.uk")


@pytest.mark.parametrize(("name", "message"), [
    ("", "Enter a name for the unit"),
    ("pals", "There is already a unit called pals here."),
    ("x" * 121, "Use 120 characters or fewer"),
])
def test_add_unit_errors_show_next_to_the_name(admin, name, message):
    trust = ensure_unit_path("Trust/PALS").parent
    before = db.session.scalar(select(db.func.count()).select_from(Unit))
    response = admin.post("/admin/units", data={"name": name, "parent_id": str(trust.id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<p class="error-message" id="name-error">.*' + re.escape(message), html)
    assert "<title>Error: Units" in html
    assert db.session.scalar(select(db.func.count()).select_from(Unit)) == before


def test_add_unit_refuses_an_unknown_parent(admin):
    response = admin.post("/admin/units", data={"name": "Lost", "parent_id": "999999"})
    assert 'id="parent_id-error"' in response.get_data(as_text=True)
    assert find_unit_by_path("Lost") is None


def test_add_unit_with_htmx_redirects_with_hx_location(admin):
    response = admin.post("/admin/units", data={"name": "Council", "parent_id": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Location"] == "/admin/units"


def test_edit_page_shows_the_parent_in_the_unit_picker_and_no_list_of_units(admin):
    pals = ensure_unit_path("Trust/PALS")
    ensure_unit_path("Trust/PALS/North team/Night shift")
    ensure_unit_path("Trust/Complaints")
    html = admin.get(f"/admin/units/{pals.id}").get_data(as_text=True)
    assert f'<input type="hidden" name="parent_id" value="{pals.parent_id}">' in html
    assert "<strong>Trust</strong>" in html and 'name="parent_id_change"' in html
    assert "<select" not in html and "Complaints" not in html and "Night shift" not in html
    assert 'value="PALS"' in html


def test_the_parent_picker_finds_units_without_javascript_and_saves_nothing_while_searching(admin):
    pals, complaints = ensure_unit_path("Trust/PALS"), ensure_unit_path("Trust/Complaints")
    html = admin.post(f"/admin/units/{pals.id}", data={"name": "PALS renamed", "parent_id_q": "compl",
                                                        "parent_id_find": "1"}).get_data(as_text=True)
    assert f'name="parent_id" value="{complaints.id}" checked' in html and 'value="PALS renamed"' in html
    assert db.session.get(Unit, pals.id).name == "PALS"
    response = admin.post(f"/admin/units/{pals.id}", data={"name": "PALS", "parent_id_q": "compl",
                                                            "parent_id": str(complaints.id)})
    assert response.status_code == 303 and db.session.get(Unit, pals.id).parent_id == complaints.id


def test_rename_and_move_a_unit(admin):
    north = ensure_unit_path("Trust/PALS/North team")
    night = ensure_unit_path("Trust/PALS/North team/Night shift")
    complaints = ensure_unit_path("Trust/Complaints")
    response = admin.post(f"/admin/units/{north.id}", data={"name": "North", "parent_id": str(complaints.id)})
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/units"
    db.session.expire_all()
    assert find_unit_by_path("Trust/Complaints/North/Night shift").id == night.id
    assert db.session.get(Unit, night.id).path == f"{complaints.path}{north.id}/{night.id}/"
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(north.id),
                                                                      AuditEvent.action != "unit.created")
                                      .order_by(AuditEvent.id)))
    assert actions == ["unit.renamed", "unit.moved"]


def test_moving_into_its_own_subtree_is_refused_next_to_the_field(admin):
    pals = ensure_unit_path("Trust/PALS")
    child = ensure_unit_path("Trust/PALS/North team")
    response = admin.post(f"/admin/units/{pals.id}", data={"name": "PALS", "parent_id": str(child.id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="parent_id-error">.*A unit cannot move inside itself', html)
    db.session.expire_all()
    assert db.session.get(Unit, pals.id).parent_id == pals.parent_id


def test_a_name_taken_in_the_new_place_is_refused(admin):
    north = ensure_unit_path("Trust/PALS/North team")
    ensure_unit_path("Trust/Complaints/North team")
    complaints = find_unit_by_path("Trust/Complaints")
    response = admin.post(f"/admin/units/{north.id}", data={"name": "North team", "parent_id": str(complaints.id)})
    assert re.search(r'id="name-error">.*There is already a unit called North team there',
                     response.get_data(as_text=True))


def test_saving_without_changes_says_so(admin):
    north = ensure_unit_path("Trust/PALS/North team")
    response = admin.post(f"/admin/units/{north.id}", data={"name": "North team", "parent_id": str(north.parent_id)},
                          follow_redirects=True)
    assert "Nothing was changed." in response.get_data(as_text=True)


def test_unknown_unit_is_404(admin):
    assert admin.get("/admin/units/999999").status_code == 404


# --- in a real browser ---------------------------------------------------------------------------------------

@pytest.mark.browser
def test_units_in_a_browser(page, live_app):
    from playwright.sync_api import expect

    from tests.browser_support import check_page, choose_unit, make_person, sign_in

    with live_app.app_context():
        ensure_unit_path("Browser trust/PALS/North team")
        db.session.commit()
    email, password, _ = make_person(live_app, admin=True)
    sign_in(page, email, password)
    page.goto("/admin/units")
    expect(page.get_by_role("heading", level=1)).to_have_text("Units")
    check_page(page, "admin-units")

    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Add unit").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a name for the unit")
    check_page(page, "admin-units-error")
    page.get_by_label("Name", exact=True).fill("South team")
    choose_unit(page, "parent_id", "PALS", "Browser trust / PALS")
    page.get_by_role("button", name="Add unit").click()
    expect(page.get_by_role("status")).to_contain_text("South team has been added.")

    page.get_by_role("link", name="North team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change North team")
    check_page(page, "admin-unit-edit")
    page.get_by_label("Name", exact=True).fill("North and East team")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("North and East team has been saved.")
    expect(page.get_by_role("link", name="North and East team")).to_be_visible()
