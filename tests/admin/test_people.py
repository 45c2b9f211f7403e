"""People administration: the list with its filters and keyset pagination, adding and changing people, and the
account actions (deactivate, temporary password, sign out everywhere)."""

from __future__ import annotations

import itertools
import re
from html import unescape

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.services import PersonDetails, create_user
from portal.common.audit import AuditEvent
from portal.common.errors import Conflict
from portal.common.roles import Role
from portal.extensions import db
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory

HTMX = {"HX-Request": "true"}
SHOW_MORE = re.compile(r'<td colspan="5" class="show-more">\s*<a href="([^"]+)"')
BROWSER_RUNS = itertools.count()
PERSON_LINK = re.compile(r'<a href="/admin/users/(\d+)"( autofocus)?>')


@pytest.fixture
def units(app_ctx):
    trust = UnitFactory(name="Riverside NHS Trust")
    pals = UnitFactory(name="PALS", parent=trust)
    north = UnitFactory(name="North team", parent=pals)
    jobcentre = UnitFactory(name="Jobcentre Plus")
    return {"trust": trust, "pals": pals, "north": north, "jobcentre": jobcentre}


@pytest.fixture
def admin(units):
    return UserFactory(display_name="Ada Admin", email="ada.admin@example.nhs.uk", unit=units["trust"], admin=True)


@pytest.fixture
def admin_client(admin, as_user):
    return as_user(admin)


def listed_ids(html: str) -> list[int]:
    return [int(i) for i, _ in PERSON_LINK.findall(html)]


def events(action: str, target: User) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                           AuditEvent.target_id == str(target.id))))


def person_form(units, **overrides) -> dict:
    data = {"display_name": "Priya Shah", "email": "priya.shah@example.nhs.uk", "job_title": "PALS officer",
            "staff_number": "N0042", "unit_id": str(units["north"].id), "manager_email": "", "roles": ["staff"]}
    return {**data, **overrides}


# --- the list -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["priya", "SHAH", "pshah@", "n0042", "N004"])
def test_search_matches_name_email_and_staff_number_whatever_the_case(units, admin_client, q):
    priya = UserFactory(display_name="Priya Shah", email="pshah@example.nhs.uk", staff_number="N0042",
                        unit=units["north"])
    other = UserFactory(display_name="Tom Evans", email="tevans@example.nhs.uk", staff_number="J7", unit=units["north"])
    html = admin_client.get("/admin/users", query_string={"q": q}).get_data(as_text=True)
    assert listed_ids(html) == [priya.id]
    assert other.id not in listed_ids(html)
    assert "1 person found" in html


def test_search_treats_like_wildcards_as_plain_text(units, admin_client):
    UserFactory(display_name="Priya Shah", unit=units["north"])
    html = admin_client.get("/admin/users", query_string={"q": "%"}).get_data(as_text=True)
    assert listed_ids(html) == []
    assert "No one matches these filters." in html


def test_role_filter(units, admin, admin_client):
    champion = UserFactory(display_name="Chris Champion", unit=units["north"], champion=True)
    UserFactory(display_name="Sam Staff", unit=units["north"])
    html = admin_client.get("/admin/users", query_string={"role": "champion"}).get_data(as_text=True)
    assert listed_ids(html) == [champion.id]
    html = admin_client.get("/admin/users", query_string={"role": "admin"}).get_data(as_text=True)
    assert listed_ids(html) == [admin.id]


def test_unit_filter_includes_the_units_subtree(units, admin, admin_client):
    in_pals = UserFactory(display_name="Bea PALS", unit=units["pals"])
    in_north = UserFactory(display_name="Cal North", unit=units["north"])
    UserFactory(display_name="Dee Jobcentre", unit=units["jobcentre"])
    html = admin_client.get("/admin/users", query_string={"unit": units["pals"].id}).get_data(as_text=True)
    assert listed_ids(html) == [in_pals.id, in_north.id]
    html = admin_client.get("/admin/users", query_string={"unit": units["trust"].id}).get_data(as_text=True)
    assert listed_ids(html) == [admin.id, in_pals.id, in_north.id]
    assert "Riverside NHS Trust / PALS / North team" in html


def test_status_filter_shows_active_people_unless_asked(units, admin, admin_client):
    gone = UserFactory(display_name="Gone Person", unit=units["north"], is_active_account=False)
    here = UserFactory(display_name="Here Person", unit=units["north"])
    assert listed_ids(admin_client.get("/admin/users").get_data(as_text=True)) == [admin.id, here.id]
    deactivated = admin_client.get("/admin/users", query_string={"status": "deactivated"}).get_data(as_text=True)
    assert listed_ids(deactivated) == [gone.id]
    status_select = re.search(r'<select[^>]*name="status".*?</select>', deactivated, re.S).group(0)
    assert re.findall(r"<option([^>]*)>([^<]*)</option>", status_select) == [
        (' value="active"', "Active"), (' selected value="deactivated"', "Deactivated"),
        (' value="all"', "Active and deactivated")]
    everyone = admin_client.get("/admin/users", query_string={"status": "all"}).get_data(as_text=True)
    assert listed_ids(everyone) == [admin.id, gone.id, here.id]


def test_filters_combine_and_unknown_values_are_ignored(units, admin_client):
    match = UserFactory(display_name="Priya Shah", unit=units["north"], champion=True)
    UserFactory(display_name="Priya Jones", unit=units["jobcentre"], champion=True)
    UserFactory(display_name="Priya Evans", unit=units["north"])
    html = admin_client.get("/admin/users", query_string={"q": "priya", "role": "champion",
                                                          "unit": units["pals"].id}).get_data(as_text=True)
    assert listed_ids(html) == [match.id]
    response = admin_client.get("/admin/users", query_string={"q": "priya", "role": "wizard", "unit": "x",
                                                              "status": "maybe", "after": "not-a-cursor"})
    assert response.status_code == 200
    assert len(listed_ids(response.get_data(as_text=True))) == 3


def test_list_page_has_a_plain_get_filter_form_and_live_search(units, admin_client):
    html = admin_client.get("/admin/users").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/admin/users" class="filter-bar"', html)
    assert form is not None
    main = html[html.index('<main'):]  # the header has the site-wide search box, also called q
    search = re.search(r'<input[^>]*name="q"[^>]*>', main).group(0)
    assert 'hx-get="/admin/users"' in search
    assert 'hx-trigger="input changed delay:300ms, search"' in search
    assert 'hx-target="#people-results"' in search
    assert 'hx-push-url="true"' in search
    assert 'hx-include="closest form"' in search


def test_htmx_request_returns_only_the_results(units, admin_client):
    priya = UserFactory(display_name="Priya Shah", unit=units["north"])
    response = admin_client.get("/admin/users", query_string={"q": "priya"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert "filter-bar" not in html
    assert listed_ids(html) == [priya.id]
    assert '<p id="people-count" hx-swap-oob="innerHTML">1 person found</p>' in html
    assert "HX-Request" in response.headers["Vary"]
    full = admin_client.get("/admin/users", query_string={"q": "priya"}).get_data(as_text=True)
    assert "<html" in full
    assert "hx-swap-oob" not in full


def test_keyset_pagination_continues_where_the_last_page_stopped(app, units, admin, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    # Same names on either side of a page boundary: the id breaks the tie.
    for name in ["Sam Jones", "Sam Jones", "Sam Jones", "Alex Brown", "Zoe Wood", "Mo Khan", "Lee Park"]:
        UserFactory(display_name=name, unit=units["north"])
    expected = list(db.session.scalars(select(User.id).order_by(User.display_name, User.id)))
    seen, url, pages = [], "/admin/users", 0
    while url:
        html = admin_client.get(url).get_data(as_text=True)
        seen += listed_ids(html)
        pages += 1
        more = SHOW_MORE.search(html)
        url = unescape(more.group(1)) if more else None
    assert seen == expected
    assert len(set(seen)) == len(seen) == 8
    assert pages == 3


def test_show_more_with_htmx_appends_rows_and_keeps_the_filters(app, units, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    people = [UserFactory(display_name=f"Priya {n}", unit=units["north"]) for n in range(5)]
    UserFactory(display_name="Tom Evans", unit=units["north"])
    first = admin_client.get("/admin/users", query_string={"q": "priya"}).get_data(as_text=True)
    more_url = unescape(SHOW_MORE.search(first).group(1))
    assert "q=priya" in more_url
    assert 'hx-target="closest tr" hx-swap="outerHTML"' in first
    rows = admin_client.get(more_url, headers=HTMX).get_data(as_text=True)
    assert rows.lstrip().startswith("<tr>")
    assert "<table" not in rows and "people-count" not in rows
    assert f'<a href="/admin/users/{people[2].id}" autofocus>' in rows
    assert listed_ids(first) + listed_ids(rows) == [p.id for p in people[:4]]
    last = admin_client.get(unescape(SHOW_MORE.search(rows).group(1)), headers=HTMX).get_data(as_text=True)
    assert listed_ids(last) == [people[4].id]
    assert SHOW_MORE.search(last) is None


def test_list_runs_the_same_number_of_queries_for_5_or_30_people(app, units, admin, admin_client, count_queries):
    def make_people(count: int) -> None:
        for n in range(count):
            unit = units["north"] if n % 2 else units["jobcentre"]
            UserFactory(unit=unit, roles=(Role.STAFF, Role.CHAMPION) if n % 3 else (Role.STAFF,))

    make_people(4)  # with the admin: 5 people
    admin_client.get("/admin/users")
    with count_queries() as few:
        assert admin_client.get("/admin/users").status_code == 200
    make_people(25)  # 30 people: more than a page
    with count_queries() as many:
        html = admin_client.get("/admin/users").get_data(as_text=True)
    assert len(listed_ids(html)) == app.config["PAGE_SIZE"]
    assert "30 people found" in html
    assert many.count == few.count
    trust_id = units["trust"].id  # read before counting: the counter expires the test's objects too
    with count_queries() as filtered:
        admin_client.get("/admin/users", query_string={"q": "person", "unit": trust_id, "role": "staff"})
    assert filtered.count == few.count


# --- adding a person ------------------------------------------------------------------------------------------

def test_add_a_person(units, admin, admin_client):
    manager = UserFactory(display_name="Mina Manager", email="mina@example.nhs.uk", unit=units["pals"])
    response = admin_client.post("/admin/users/new", data=person_form(
        units, email="Priya.Shah@Example.NHS.uk", manager_email="MINA@example.nhs.uk", roles=["staff", "champion"]))
    assert response.status_code == 303
    db.session.expire_all()
    person = db.session.scalar(select(User).where(User.email == "priya.shah@example.nhs.uk"))
    assert response.headers["Location"] == f"/admin/users/{person.id}"
    assert (person.display_name, person.job_title, person.staff_number) == ("Priya Shah", "PALS officer", "N0042")
    assert person.unit_id == units["north"].id and person.manager_id == manager.id
    assert person.roles == {Role.STAFF, Role.CHAMPION}
    assert person.password_hash is None and not person.must_change_password
    [created] = events("user.created", person)
    assert created.actor_id == admin.id
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Priya Shah has been added." in page


def test_add_a_person_with_a_temporary_password(units, admin_client, client):
    response = admin_client.post("/admin/users/new", data=person_form(units, password="temporary-pass-1"))
    assert response.status_code == 303
    db.session.expire_all()
    person = db.session.scalar(select(User).where(User.email == "priya.shah@example.nhs.uk"))
    assert person.must_change_password
    signed_in = client.post("/login", data={"email": "priya.shah@example.nhs.uk", "password": "temporary-pass-1"})
    assert signed_in.status_code == 303
    assert client.get("/").headers["Location"] == "/account/password"


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"display_name": "  "}, "display_name", "Enter the person's full name"),
    ({"email": ""}, "email", "Enter the person's email address"),
    ({"email": "not an email"}, "email", "Enter an email address like name@nhs.net."),
    ({"unit_id": ""}, "unit_id", "Choose the unit they work in"),
    ({"unit_id": "999999"}, "unit_id", "Choose a unit from the list"),
    ({"roles": []}, "roles", "Choose at least one role."),
    ({"roles": ["staff", "wizard"]}, "roles", "Choose roles from the list"),
    ({"manager_email": "nobody@example.nhs.uk"}, "manager_email", "There is no one in Frontline with this email"),
    ({"password": "short"}, "password", "Use at least 10 characters."),
])
def test_add_a_person_shows_each_error_next_to_its_field(units, admin_client, overrides, field, message):
    response = admin_client.post("/admin/users/new", data=person_form(units, **overrides))
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert f'<p class="error-message" id="{field}-error">' in html
    assert message in html
    assert "<title>Error: Add a person" in html
    assert 'value="N0042"' in html  # what they typed is kept
    assert db.session.scalar(select(User).where(User.staff_number == "N0042")) is None


def test_add_a_person_rejects_an_email_taken_in_another_case(units, admin_client):
    UserFactory(email="priya.shah@example.nhs.uk", unit=units["north"])
    response = admin_client.post("/admin/users/new", data=person_form(units, email="PRIYA.Shah@example.NHS.uk"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error-message" id="email-error">' in html
    assert "Someone already has this email address." in html
    assert len(list(db.session.scalars(select(User).where(User.staff_number == "N0042")))) == 0


def test_add_a_person_rejects_a_taken_staff_number(units, admin_client):
    UserFactory(display_name="Tom Evans", staff_number="N0042", unit=units["north"])
    response = admin_client.post("/admin/users/new", data=person_form(units, staff_number="n0042"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error-message" id="staff_number-error">' in html
    assert "Staff number n0042 already belongs to Tom Evans." in html


def test_staff_number_is_checked_as_it_will_be_stored(units):
    UserFactory(staff_number="N0042", unit=units["north"])
    details = PersonDetails(email="new@example.nhs.uk", display_name="New Person", unit=units["north"],
                            staff_number=" N0042 ")
    with pytest.raises(Conflict) as raised:
        create_user(details=details, actor=None)
    assert raised.value.field == "staff_number"


# --- a person's page ------------------------------------------------------------------------------------------

def test_person_page_shows_who_they_are(units, admin_client):
    manager = UserFactory(display_name="Mina Manager", unit=units["pals"])
    person = UserFactory(display_name="Priya Shah", staff_number="N0042", unit=units["north"], manager=manager,
                         champion=True)
    html = admin_client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "<h1>Priya Shah</h1>" in html
    assert "Riverside NHS Trust / PALS / North team" in html
    assert f'<a href="/admin/users/{manager.id}">Mina Manager</a>' in html
    assert "Service champion" in html and "N0042" in html
    assert f'value="{manager.email}"' in html


def test_unknown_person_is_404(admin_client):
    assert admin_client.get("/admin/users/999999").status_code == 404
    assert admin_client.post("/admin/users/999999/deactivate").status_code == 404


def test_edit_a_person_changes_roles_unit_and_manager(units, admin, admin_client):
    manager = UserFactory(display_name="Mina Manager", email="mina@example.nhs.uk", unit=units["pals"])
    person = UserFactory(display_name="Priya Shah", email="priya.shah@example.nhs.uk", unit=units["north"])
    response = admin_client.post(f"/admin/users/{person.id}", data=person_form(
        units, unit_id=str(units["jobcentre"].id), manager_email="mina@example.nhs.uk", roles=["staff", "panel"]))
    assert response.status_code == 303
    db.session.expire_all()
    assert person.roles == {Role.STAFF, Role.PANEL}
    assert person.unit_id == units["jobcentre"].id and person.manager_id == manager.id
    [roles_changed] = events("user.roles_changed", person)
    assert roles_changed.actor_id == admin.id
    assert roles_changed.details == {"added": ["panel"], "removed": []}
    [updated] = events("user.updated", person)
    assert {"unit_id", "manager_id", "roles", "staff_number"} <= set(updated.details["fields"])
    page = admin_client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Your changes have been saved." in page
    assert "Roles changed" in page  # the person's recent history


def test_saving_without_changes_says_so(units, admin_client):
    person = UserFactory(display_name="Priya Shah", email="priya.shah@example.nhs.uk", staff_number="N0042",
                         job_title="PALS officer", unit=units["north"])
    response = admin_client.post(f"/admin/users/{person.id}", data=person_form(units), follow_redirects=True)
    assert "Nothing was changed." in response.get_data(as_text=True)
    assert events("user.updated", person) == []


@pytest.mark.parametrize("loop", ["self", "through a report"])
def test_edit_rejects_a_manager_loop(units, admin_client, loop):
    boss = UserFactory(display_name="Bo Boss", email="bo@example.nhs.uk", unit=units["pals"])
    report = UserFactory(display_name="Rae Report", email="rae@example.nhs.uk", unit=units["north"], manager=boss)
    manager_email = "bo@example.nhs.uk" if loop == "self" else "rae@example.nhs.uk"
    response = admin_client.post(f"/admin/users/{boss.id}", data=person_form(
        units, display_name="Bo Boss", email="bo@example.nhs.uk", manager_email=manager_email))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error-message" id="manager_email-error">' in html
    assert "A person cannot manage themselves, directly or through others." in html
    db.session.expire_all()
    assert boss.manager_id is None and report.manager_id == boss.id


def test_edit_rejects_a_deactivated_new_manager(units, admin_client):
    UserFactory(display_name="Gone Manager", email="gone@example.nhs.uk", unit=units["pals"], is_active_account=False)
    person = UserFactory(unit=units["north"])
    response = admin_client.post(f"/admin/users/{person.id}",
                                 data=person_form(units, manager_email="gone@example.nhs.uk"))
    assert "Gone Manager's account is deactivated." in unescape(response.get_data(as_text=True))


def test_edit_rejects_an_email_someone_else_has(units, admin_client):
    UserFactory(email="taken@example.nhs.uk", unit=units["north"])
    person = UserFactory(unit=units["north"])
    response = admin_client.post(f"/admin/users/{person.id}", data=person_form(units, email="Taken@example.nhs.uk"))
    assert response.status_code == 200
    assert "Someone already has this email address." in response.get_data(as_text=True)


def test_admin_cannot_remove_their_own_admin_role(units, admin, admin_client):
    response = admin_client.post(f"/admin/users/{admin.id}", data=person_form(
        units, display_name=admin.display_name, email=admin.email, roles=["staff"]))
    assert response.status_code == 200
    assert "You cannot remove your own administrator role." in response.get_data(as_text=True)
    db.session.expire_all()
    assert admin.has_role(Role.ADMIN)


# --- account actions ------------------------------------------------------------------------------------------

def test_deactivate_ends_their_session_and_can_be_undone(units, admin, admin_client, as_user):
    person = UserFactory(display_name="Priya Shah", unit=units["north"])
    their_client = as_user(person)
    assert their_client.get("/").status_code == 200
    response = admin_client.post(f"/admin/users/{person.id}/deactivate")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/users/{person.id}"
    db.session.expire_all()
    assert not person.is_active_account
    assert events("user.deactivated", person)[0].actor_id == admin.id
    assert their_client.get("/").headers["Location"].startswith("/login")
    assert "Priya Shah has been deactivated." in admin_client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    admin_client.post(f"/admin/users/{person.id}/reactivate")
    db.session.expire_all()
    assert person.is_active_account
    assert len(events("user.reactivated", person)) == 1


ACCOUNT_ACTIONS = ["deactivate", "reactivate", "temporary-password", "sign-out-everywhere"]


@pytest.mark.parametrize("action", ACCOUNT_ACTIONS)
def test_administrators_cannot_use_the_account_actions_on_their_own_account(admin, admin_client, action):
    """Enforced by the route (can_manage_account), not only by the page leaving the buttons out."""
    token = admin.session_token
    response = admin_client.post(f"/admin/users/{admin.id}/{action}", data={"password": "a-temporary-one-2"})
    assert response.status_code == 403
    db.session.expire_all()
    assert admin.is_active_account and not admin.must_change_password and admin.session_token == token
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.target_type == "user_account",
                                                       AuditEvent.target_id == str(admin.id))).all() == []
    assert admin_client.get("/").status_code == 200  # still signed in


@pytest.mark.parametrize("action", ACCOUNT_ACTIONS)
def test_administrators_use_the_account_actions_on_another_administrator(units, admin_client, action):
    other = UserFactory(unit=units["north"], admin=True, is_active_account=action != "reactivate")
    response = admin_client.post(f"/admin/users/{other.id}/{action}", data={"password": "a-temporary-one-2"})
    assert (response.status_code, response.headers["Location"]) == (303, f"/admin/users/{other.id}")


def test_own_page_offers_your_details_but_no_account_actions(admin, admin_client):
    html = admin_client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "This is your own account." in html
    assert f'action="/admin/users/{admin.id}"' in html  # your own details can still be changed
    for action in ACCOUNT_ACTIONS:
        assert f"/admin/users/{admin.id}/{action}" not in html


@pytest.mark.parametrize(("active", "offered", "withheld"), [(True, "deactivate", "reactivate"),
                                                             (False, "reactivate", "deactivate")])
def test_someone_elses_page_offers_the_account_actions_their_state_allows(units, admin_client, active, offered,
                                                                         withheld):
    person = UserFactory(unit=units["north"], is_active_account=active)
    html = admin_client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "This is your own account." not in html
    for action in ("temporary-password", "sign-out-everywhere", offered):
        assert f"/admin/users/{person.id}/{action}" in html
    assert f"/admin/users/{person.id}/{withheld}" not in html


def test_a_second_deactivation_is_told_it_is_done_and_changes_nothing(units, admin_client):
    person = UserFactory(display_name="Priya Shah", unit=units["north"])
    admin_client.post(f"/admin/users/{person.id}/deactivate")
    db.session.expire_all()
    token = person.session_token
    response = admin_client.post(f"/admin/users/{person.id}/deactivate", follow_redirects=True)
    assert response.status_code == 200
    assert "Priya Shah has been deactivated." in response.get_data(as_text=True)
    db.session.expire_all()
    assert person.session_token == token
    assert len(events("user.deactivated", person)) == 1


def test_temporary_password_must_be_changed_at_next_sign_in(units, admin, admin_client, as_user, client):
    person = UserFactory(display_name="Priya Shah", email="priya.shah@example.nhs.uk", unit=units["north"])
    old_session = as_user(person)
    assert old_session.get("/").status_code == 200
    response = admin_client.post(f"/admin/users/{person.id}/temporary-password",
                                 data={"password": "a-temporary-one-2"})
    assert response.status_code == 303
    db.session.expire_all()
    assert person.must_change_password
    assert events("auth.temporary_password_set", person)[0].actor_id == admin.id
    assert old_session.get("/").headers["Location"].startswith("/login")
    assert client.post("/login", data={"email": "priya.shah@example.nhs.uk",
                                       "password": DEFAULT_PASSWORD}).status_code == 200  # the old one is gone
    signed_in = client.post("/login", data={"email": "priya.shah@example.nhs.uk", "password": "a-temporary-one-2"})
    assert signed_in.status_code == 303
    assert client.get("/").headers["Location"] == "/account/password"


@pytest.mark.parametrize(("password", "message"), [("", "Enter a temporary password"),
                                                   ("short", "Use at least 10 characters.")])
def test_temporary_password_errors_show_next_to_the_field(units, admin_client, password, message):
    person = UserFactory(display_name="Priya Shah", unit=units["north"], champion=True)
    response = admin_client.post(f"/admin/users/{person.id}/temporary-password", data={"password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<p class="error-message" id="password-error">' in html and message in html
    assert re.search(r'<input checked [^>]*value="champion"', html)  # the details form still shows their roles
    db.session.expire_all()
    assert not person.must_change_password


def test_sign_out_everywhere(units, admin, admin_client, as_user):
    person = UserFactory(unit=units["north"])
    their_client = as_user(person)
    assert their_client.get("/").status_code == 200
    response = admin_client.post(f"/admin/users/{person.id}/sign-out-everywhere", follow_redirects=True)
    assert "has been signed out on every device." in response.get_data(as_text=True)
    assert their_client.get("/").headers["Location"].startswith("/login")
    assert events("auth.signed_out_everywhere", person)[0].actor_id == admin.id


# --- access ---------------------------------------------------------------------------------------------------

ENDPOINTS = [
    ("GET", "/admin/users"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/users/{id}"),
    ("POST", "/admin/users/{id}"),
    ("POST", "/admin/users/{id}/deactivate"),
    ("POST", "/admin/users/{id}/reactivate"),
    ("POST", "/admin/users/{id}/temporary-password"),
    ("POST", "/admin/users/{id}/sign-out-everywhere"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize("trait", ["staff", "hr", "champion"])
def test_non_admins_get_403(units, as_user, method, url, trait):
    person = UserFactory(unit=units["north"], **({} if trait == "staff" else {trait: True}))
    target = UserFactory(unit=units["north"])
    response = as_user(person).open(url.format(id=target.id), method=method, data={"password": "whatever-long"})
    assert response.status_code == 403
    db.session.expire_all()
    assert target.is_active_account and not target.must_change_password


@pytest.mark.parametrize(("method", "url"), [e for e in ENDPOINTS if e[0] == "GET"])
def test_signed_out_people_are_sent_to_sign_in(units, client, method, url):
    target = UserFactory(unit=units["north"])
    response = client.open(url.format(id=target.id), method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# --- in a real browser ----------------------------------------------------------------------------------------

@pytest.fixture
def browser_people(live_app, monkeypatch):
    """An administrator and five people called "<token> n" in the live server's (committed) database."""
    from tests.browser_support import make_person

    monkeypatch.setitem(live_app.config, "PAGE_SIZE", 3)
    token = f"Quill{next(BROWSER_RUNS)}x{id(live_app) % 10_000}"
    admin_email, password, _ = make_person(live_app, display_name=f"{token} Admin", admin=True)
    with live_app.app_context():
        unit = UnitFactory(name=f"{token} team")
        for n in range(5):
            UserFactory(display_name=f"{token} Person {n}", email=f"{token.lower()}{n}@example.nhs.uk", unit=unit)
        db.session.commit()
    return token, admin_email, password


@pytest.mark.browser
def test_live_search_and_show_more_in_a_browser(page, browser_people):
    from playwright.sync_api import expect

    from tests.browser_support import check_page, sign_in

    token, admin_email, password = browser_people
    sign_in(page, admin_email, password)
    page.goto("/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    check_page(page, "admin-people")

    page.get_by_label("Name, email or staff number").fill(f"{token} person")
    expect(page).to_have_url(re.compile(rf"/admin/users\?q={token}"))
    expect(page.locator("#people-count")).to_have_text("5 people found")
    rows = page.locator("#people-results tbody tr:not(:has(.show-more))")
    expect(rows).to_have_count(3)
    page.get_by_role("link", name="Show more people").click()
    expect(rows).to_have_count(5)
    expect(page.get_by_role("link", name="Show more people")).to_have_count(0)
    expect(rows.nth(4)).to_contain_text(f"{token} Person 4")
    expect(rows.nth(3).get_by_role("link")).to_be_focused()
    check_page(page, "admin-people-search")

    rows.nth(0).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{token} Person 0")
    check_page(page, "admin-person")
    page.get_by_label("Line manager's email").fill("nobody-at-all@example.nhs.uk")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("There is no one in Frontline with this email address")
    expect(page).to_have_title(re.compile("^Error: "))
    check_page(page, "admin-person-error")

    page.goto("/admin/users/new")
    check_page(page, "admin-person-new")


@pytest.mark.browser
def test_filters_and_show_more_work_without_javascript(browser, base_url, browser_people):
    from playwright.sync_api import expect

    from tests.browser_support import sign_in

    token, admin_email, password = browser_people
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    sign_in(page, admin_email, password)
    page.goto("/admin/users")
    page.get_by_label("Name, email or staff number").fill(f"{token} person")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#people-count")).to_have_text("5 people found")
    page.get_by_role("link", name="Show more people").click()
    expect(page.locator("#people-results tbody tr")).to_have_count(2)
    expect(page.get_by_label("Name, email or staff number")).to_have_value(f"{token} person")
    context.close()


# --- item 12 and item 5: the add-a-person form --------------------------------------------------------------

def test_add_a_person_starts_with_staff_ticked(units, admin_client):
    html = admin_client.get("/admin/users/new").get_data(as_text=True)
    staff = re.search(r'<input[^>]*value="staff"[^>]*>', html).group(0)
    assert "checked" in staff
    others = re.findall(r'<input[^>]*name="roles"[^>]*>', html)
    assert len(others) == len(Role) and sum("checked" in box for box in others) == 1


def test_add_a_person_shows_every_error_at_once_each_linked_from_the_summary(units, admin_client):
    UserFactory(email="taken@example.nhs.uk", staff_number="N0042", display_name="Tom Evans", unit=units["north"])
    response = admin_client.post("/admin/users/new", data=person_form(
        units, display_name="", email="taken@example.nhs.uk", staff_number="n0042", unit_id="",
        manager_email="nobody@example.nhs.uk", roles=[], password="short"))
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    expected = {"display_name": "Enter the person's full name", "email": "Someone already has this email address.",
                "staff_number": "Staff number n0042 already belongs to Tom Evans.",
                "unit_id": "Choose the unit they work in",
                "manager_email": "There is no one in Frontline with this email address.",
                "roles": "Choose at least one role.", "password": "Use at least 10 characters."}
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    for field, message in expected.items():
        target = "unit_id_q" if field == "unit_id" else field  # the unit picker's search box
        assert f'<p class="error-message" id="{field}-error">' in html, field
        assert re.search(rf'<a href="#{target}">{re.escape(message)}', summary), field
        assert f'id="{target}"' in html, field
    assert "value=\"taken@example.nhs.uk\"" in html


def test_add_a_person_reports_a_badly_written_email_with_the_other_errors(units, admin_client):
    response = admin_client.post("/admin/users/new", data=person_form(units, email="not an email", display_name=""))
    html = unescape(response.get_data(as_text=True))
    assert '<p class="error-message" id="email-error">' in html
    assert '<p class="error-message" id="display_name-error">' in html
