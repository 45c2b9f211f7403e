"""Importing people from an HR CSV file: the plan (every check, nothing written), applying it, the pages and the CLI."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.auth.importing import (
    EXAMPLE_CSV,
    Action,
    ImportHasErrors,
    apply_import,
    decode_csv_file,
    plan_import,
)
from portal.auth.models import User
from portal.auth.services import SignInFailed, authenticate
from portal.common.audit import AuditEvent
from portal.common.errors import DomainError
from portal.common.roles import Role
from portal.extensions import db
from portal.org.models import Unit
from portal.org.services import ensure_unit_path
from tests.factories import UserFactory
from tests.org.units import find_unit_by_path

pytestmark = pytest.mark.usefixtures("app_ctx")

HEADER = "staff_number,email,name,unit,manager_email,roles"


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def errors(plan, number: int) -> list[str]:
    [row] = [row for row in plan.rows if row.number == number]
    return row.errors


def row_of(plan, number: int):
    return next(row for row in plan.rows if row.number == number)


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (User, Unit, AuditEvent))


def person(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


# --- reading the file ----------------------------------------------------------------------------------------

def test_header_is_case_insensitive_in_any_order_with_bom_semicolons_and_blank_rows():
    text = ("\ufeffRoles;Name;EMAIL;Staff Number;Unit;Manager-Email;Job title\r\n"
            "staff champion;Amira Haddad;Amira.Haddad@Example.nhs.uk;100234;Trust/PALS;;PALS manager\r\n"
            ";;;;;;\r\n")
    plan = plan_import(text=text)
    assert plan.file_errors == [] and not plan.has_errors
    [row] = plan.rows
    assert (row.number, row.email, row.name, row.staff_number) == (2, "amira.haddad@example.nhs.uk",
                                                                     "Amira Haddad", "100234")
    assert row.roles == {Role.STAFF, Role.CHAMPION}
    assert row.job_title == "PALS manager"


def test_excel_csv_with_quotes_and_commas_in_cells():
    plan = plan_import(text=csv_text('1,a@example.nhs.uk,"Haddad, Amira",Trust/PALS,,"staff; panel"'))
    assert not plan.has_errors
    assert (plan.rows[0].name, plan.rows[0].roles) == ("Haddad, Amira", {Role.STAFF, Role.PANEL})


def test_empty_roles_mean_staff():
    plan = plan_import(text=csv_text("1,a@example.nhs.uk,Amira,Trust,,"))
    assert plan.rows[0].roles == {Role.STAFF}


@pytest.mark.parametrize(("text", "message"), [
    ("", "The file is empty."),
    ("  \r\n\r\n", "The file is empty."),
    (",,,\r\n", "The file is empty."),
    (HEADER + "\r\n", "The file has a header row but no people in it."),
    ("email,name\r\na@example.nhs.uk,Amira\r\n", "The file is missing these columns: staff_number, unit, "
                                                  "manager_email, roles."),
    ("Amira,a@example.nhs.uk\r\n", "The first row must name the columns: staff_number, email, name, unit, "
                                   "manager_email, roles."),
    (HEADER + ",email\r\n", "The column email appears more than once."),
    ("PK\x03\x04\x00\x00binary", "This is not a CSV file."),
    (HEADER + '\r\n1,"a@example.nhs.uk"x,A,T,,\r\n', "This file could not be read as CSV"),
])
def test_file_level_errors(text, message):
    plan = plan_import(text=text)
    assert plan.has_errors
    assert any(error.startswith(message) for error in plan.file_errors), plan.file_errors


def test_uploads_must_be_utf8_csv():
    assert decode_csv_file("\ufeffstaff_number,name\r\n1,Siân".encode()) == "staff_number,name\r\n1,Siân"
    with pytest.raises(DomainError, match="not saved as UTF-8"):
        decode_csv_file("1,Siân".encode("cp1252"))
    with pytest.raises(DomainError, match="Excel workbook"):
        decode_csv_file(b"PK\x03\x04rest of a zip file")


# --- every row's errors --------------------------------------------------------------------------------------

def test_row_errors_of_every_kind_are_all_reported_without_writing():
    ensure_unit_path("Trust/PALS")
    UserFactory(email="kept@example.nhs.uk", staff_number="900", display_name="Kept Person")
    UserFactory(email="other@example.nhs.uk", staff_number="901", display_name="Other Person")
    before = counts()
    plan = plan_import(text=csv_text(
        "1,not-an-email,Amira,Trust/PALS,,staff",                              # 2 bad email
        "2,b@example.nhs.uk,,Trust/PALS,,staff",                               # 3 missing name
        "3,c@example.nhs.uk,Cara,Trust/PALS,,staff boss",                      # 4 unknown role
        "4,dup@example.nhs.uk,Dee,Trust/PALS,,staff",                          # 5 duplicate email (with 6)
        "5,DUP@example.nhs.uk,Dee Two,Trust/PALS,,staff",                      # 6
        "7,f@example.nhs.uk,Fay,Trust/PALS,,staff",                            # 7 duplicate staff number (with 8)
        "7,g@example.nhs.uk,Gus,Trust/PALS,,staff",                            # 8
        "900,other@example.nhs.uk,Kept,Trust/PALS,,staff",                     # 9 staff number of someone else
        "10,h@example.nhs.uk,Hal,Trust/PALS,nobody@example.nhs.uk,staff",      # 10 unknown manager
        "11,i@example.nhs.uk,Ivy,Trust/PALS,i@example.nhs.uk,staff",           # 11 manages themselves
        "12,j@example.nhs.uk,Jo,Trust/PALS,k@example.nhs.uk,staff",            # 12 loop with 13
        "13,k@example.nhs.uk,Kim,Trust/PALS,j@example.nhs.uk,staff",           # 13
        "14,l@example.nhs.uk,Lee,,,staff",                                     # 14 no unit
        "15,m@example.nhs.uk,Mo,Trust//PALS,,staff",                           # 15 bad unit path
        "16,n@example.nhs.uk,Nia,Trust/PALS,not an email,staff",               # 16 bad manager email
        "17,o@example.nhs.uk,Oz,Trust/PALS,,staff,surplus",                    # 17 too many cells
        "18,p@example.nhs.uk,Pat,Trust/PALS,,staff",                           # 18 fine
    ))
    assert counts() == before
    assert errors(plan, 2) == ["not-an-email is not a valid email address."]
    assert errors(plan, 3) == ["Enter the person's name."]
    assert errors(plan, 4) == ["Unknown role: boss. Use staff, supporter, champion, panel, hr, admin."]
    assert errors(plan, 5) == ["The same email address is also on row 6."]
    assert errors(plan, 6) == ["The same email address is also on row 5."]
    assert errors(plan, 7) == ["The same staff number is also on row 8."]
    assert errors(plan, 8) == ["The same staff number is also on row 7."]
    assert errors(plan, 9) == ["Staff number 900 belongs to Kept Person (kept@example.nhs.uk), but "
                               "other@example.nhs.uk belongs to Other Person. Check which is right."]
    assert errors(plan, 10) == ["The manager's email nobody@example.nhs.uk is not in this file or in Frontline. "
                                "Add the manager to the file, or check the spelling."]
    assert errors(plan, 11) == ["This person would manage themselves. Leave manager_email empty or give their "
                                "manager's email."]
    assert errors(plan, 12) == ["Managers would go round in a circle: j@example.nhs.uk → k@example.nhs.uk → "
                                "j@example.nhs.uk. Someone in it needs a different manager."]
    assert errors(plan, 13) == ["Managers would go round in a circle: k@example.nhs.uk → j@example.nhs.uk → "
                                "k@example.nhs.uk. Someone in it needs a different manager."]
    assert errors(plan, 14) == ["Enter the unit, for example Trust/PALS/North team."]
    assert errors(plan, 15) == ["Write the unit as names separated by /, for example Trust/PALS/North team."]
    assert errors(plan, 16) == ["The manager's email not an email is not a valid email address."]
    assert errors(plan, 17)[0].startswith("This row has more cells than there are columns.")
    assert errors(plan, 18) == []
    assert plan.with_errors == 16 and plan.count(Action.CREATE) == 1
    with pytest.raises(ImportHasErrors):
        apply_import(plan=plan, actor=None)
    assert counts() == before


def test_a_manager_loop_through_people_not_in_the_file_is_found():
    # In Frontline: Bea manages Cal, Cal manages Dan. The file makes Dan manage Ann and Ann manage Bea, so
    # Ann → Dan → Cal → Bea → Ann. Cal is not even named in the file.
    unit = ensure_unit_path("Trust")
    bea = UserFactory(email="bea@example.nhs.uk", unit=unit)
    cal = UserFactory(email="cal@example.nhs.uk", unit=unit, manager=bea)
    UserFactory(email="dan@example.nhs.uk", unit=unit, manager=cal)
    UserFactory(email="bea.report@example.nhs.uk", unit=unit, manager=bea)
    plan = plan_import(text=csv_text(
        ",ann@example.nhs.uk,Ann,Trust,dan@example.nhs.uk,staff",
        f",bea@example.nhs.uk,{bea.display_name},Trust,ann@example.nhs.uk,staff",
    ))
    assert errors(plan, 2) == ["Managers would go round in a circle: ann@example.nhs.uk → dan@example.nhs.uk → "
                               "cal@example.nhs.uk → bea@example.nhs.uk → ann@example.nhs.uk. Someone in it needs "
                               "a different manager."]
    assert errors(plan, 3)[0].startswith("Managers would go round in a circle: bea@example.nhs.uk → ann")


def test_two_rows_about_the_same_existing_person():
    UserFactory(email="priya@example.nhs.uk", staff_number="100", display_name="Priya Shah")
    plan = plan_import(text=csv_text(
        "100,priya.shah@example.nhs.uk,Priya Shah,Trust,,staff",   # by staff number
        ",priya@example.nhs.uk,Priya Shah,Trust,,staff",          # by email
    ))
    assert errors(plan, 2) == ["Row 3 is also about Priya Shah (priya@example.nhs.uk). Keep one row for each person."]
    assert errors(plan, 3) == ["Row 2 is also about Priya Shah (priya@example.nhs.uk). Keep one row for each person."]
    plan = plan_import(text=csv_text("100,a@example.nhs.uk,Priya Shah,Trust,,staff",
                                     "100,b@example.nhs.uk,Priya Shah,Trust,,staff",
                                     ",priya@example.nhs.uk,Priya Shah,Trust,,staff"))
    assert ("Rows 3, 4 are also about Priya Shah (priya@example.nhs.uk). Keep one row for each person."
            in errors(plan, 2))


# --- matching and changes ------------------------------------------------------------------------------------

def test_existing_people_are_matched_by_staff_number_then_email():
    unit = ensure_unit_path("Trust/PALS")
    boss = UserFactory(email="boss@example.nhs.uk", unit=unit)
    renamed = UserFactory(email="old.address@example.nhs.uk", staff_number="100", display_name="Priya Shah",
                          job_title="Officer", unit=unit, manager=boss)
    numbered = UserFactory(email="tom@example.nhs.uk", staff_number=None, display_name="Tom Okafor", unit=unit)
    plan = plan_import(text=csv_text(
        "100,priya.shah@example.nhs.uk,Priya Shah,Trust/PALS/North team,,staff champion,Senior officer",
        "200,tom@example.nhs.uk,Tom Okafor,trust/pals,,staff,",
        f",{boss.email},{boss.display_name},Trust/PALS,,staff,{boss.job_title}",
        header=HEADER + ",job_title"))
    assert not plan.has_errors
    priya, tom, unchanged = plan.rows
    assert (priya.person_id, tom.person_id, unchanged.person_id) == (renamed.id, numbered.id, boss.id)
    assert priya.action == Action.UPDATE
    assert [(c.field, c.old, c.new) for c in priya.changes] == [
        ("email", "old.address@example.nhs.uk", "priya.shah@example.nhs.uk"),
        ("job_title", "Officer", "Senior officer"),
        ("unit", "Trust/PALS", "Trust/PALS/North team"),
        ("manager", "boss@example.nhs.uk", ""),
        ("roles", "staff", "champion, staff"),
    ]
    assert [(c.field, c.old, c.new) for c in tom.changes] == [("staff_number", "", "200"),
                                                              ("job_title", "Patient advice officer", "")]
    assert unchanged.action == Action.UNCHANGED and unchanged.changes == []
    assert list(plan.new_units.values()) == ["Trust/PALS/North team"]


def test_an_empty_staff_number_keeps_ours_and_no_job_title_column_keeps_job_titles():
    unit = ensure_unit_path("Trust")
    UserFactory(email="a@example.nhs.uk", staff_number="100", display_name="Amira", job_title="Lead", unit=unit)
    plan = plan_import(text=csv_text(",a@example.nhs.uk,Amira,Trust,,staff"))
    assert plan.rows[0].action == Action.UNCHANGED


def test_new_units_are_listed_once_each_parent_first():
    ensure_unit_path("Trust")
    plan = plan_import(text=csv_text("1,a@example.nhs.uk,A,Trust/PALS/North team,,",
                                     "2,b@example.nhs.uk,B,trust/pals/North Team,,",
                                     "3,c@example.nhs.uk,C,Trust/PALS,,",
                                     "4,d@example.nhs.uk,D,Council,,"))
    assert list(plan.new_units.values()) == ["Trust/PALS", "Trust/PALS/North team", "Council"]


def _big_file(n: int, existing: list[User]) -> str:
    """n rows: the first ones update existing people; managers are earlier rows, or someone not in the file."""
    rows = []
    for i in range(n):
        manager = "" if i == 0 else "boss@example.nhs.uk" if i % 5 == 0 else f"p{i // 2}@example.nhs.uk"
        staff = existing[i].staff_number if i < len(existing) else f"S{i}"
        email = existing[i].email if i < len(existing) else f"p{i}@example.nhs.uk"
        rows.append(f"{staff},{email},Person {i},Trust/Team {i % 7},{manager},staff")
    return csv_text(*rows)


def test_planning_costs_the_same_number_of_queries_for_10_or_100_rows(count_queries):
    unit = ensure_unit_path("Trust/Team 0")
    existing = [UserFactory(unit=unit, staff_number=f"E{i}", email=f"p{i}@example.nhs.uk") for i in range(8)]
    UserFactory(unit=unit, email="boss@example.nhs.uk")
    db.session.flush()
    measured = {}
    for n in (10, 100):
        text = _big_file(n, existing)
        with count_queries() as counter:
            plan = plan_import(text=text)
        assert not plan.has_errors, [(r.number, r.errors) for r in plan.rows if r.errors][:3]
        assert plan.count(Action.UPDATE) == 8
        measured[n] = counter.count
    assert measured[10] == measured[100] <= 6


# --- applying ------------------------------------------------------------------------------------------------

def test_apply_creates_units_and_people_with_managers_later_in_the_file(app):
    admin = UserFactory(admin=True)
    text = csv_text(
        "2,tom@example.nhs.uk,Tom Okafor,Trust/PALS/North team,amira@example.nhs.uk,staff",
        "3,sio@example.nhs.uk,Siobhan Kelly,Trust/PALS/North team,tom@example.nhs.uk,staff supporter",
        "1,amira@example.nhs.uk,Amira Haddad,Trust/PALS,,staff;champion",
    )
    events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = apply_import(plan=text, actor=admin)
    assert (result.created, result.updated, result.unchanged, result.units_created) == (3, 0, 0, 3)
    amira, tom, sio = person("amira@example.nhs.uk"), person("tom@example.nhs.uk"), person("sio@example.nhs.uk")
    assert (tom.manager_id, sio.manager_id, amira.manager_id) == (amira.id, tom.id, None)
    assert sio.roles == {Role.STAFF, Role.SUPPORTER} and amira.roles == {Role.STAFF, Role.CHAMPION}
    assert tom.unit_id == find_unit_by_path("Trust/PALS/North team").id and tom.staff_number == "2"
    # No password: they cannot sign in until an administrator sets one.
    assert tom.password_hash is None
    with pytest.raises(SignInFailed):
        authenticate(email="tom@example.nhs.uk", password="")
    new_events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id).offset(events_before)))
    assert [e.action for e in new_events if not e.action.startswith("unit.")] == ["auth.sign_in_failed",
                                                                                   "user.import_applied"][::-1]
    [imported] = [e for e in new_events if e.action == "user.import_applied"]
    assert imported.actor_id == admin.id
    assert {k: imported.details[k] for k in ("created", "updated", "unchanged", "units_created")} == {
        "created": 3, "updated": 0, "unchanged": 0, "units_created": 3}
    assert sorted(imported.details["created_ids"]) == sorted([amira.id, tom.id, sio.id])
    assert sum(e.action == "unit.created" for e in new_events) == 3


def test_updates_and_creations_in_one_file_reach_the_right_people():
    # Row numbers and person ids are both small numbers; a person whose id equals the number of an earlier
    # new-person row must still be the one updated.
    unit = ensure_unit_path("Trust")
    UserFactory.create_batch(3, unit=unit)
    existing = UserFactory(email="existing@example.nhs.uk", display_name="Old name", unit=unit)
    new_rows = [f",new{i}@example.nhs.uk,New {i},Trust,,staff" for i in range(min(existing.id, 3000))]
    text = csv_text(*new_rows, ",existing@example.nhs.uk,New name,Trust,,staff")
    result = apply_import(plan=text, actor=None)
    assert (result.created, result.updated) == (len(new_rows), 1)
    assert person("existing@example.nhs.uk").display_name == "New name"
    assert all(person(f"new{i}@example.nhs.uk").display_name == f"New {i}" for i in range(len(new_rows)))


def test_reimporting_the_same_file_changes_nothing():
    unit = ensure_unit_path("Trust/PALS")
    UserFactory(email="boss@example.nhs.uk", unit=unit, staff_number="B1", display_name="Boss")
    text = csv_text(
        "1,amira@example.nhs.uk,Amira Haddad,Trust/PALS/North team,boss@example.nhs.uk,staff;champion,Lead",
        "B1,boss@example.nhs.uk,The Boss,Trust/PALS,,staff hr,Head of PALS",
        header=HEADER + ",job_title")
    first = apply_import(plan=text, actor=None)
    assert (first.created, first.updated) == (1, 1)
    db.session.flush()
    stamps = dict(db.session.execute(select(User.email, User.updated_at)).all())
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    plan = plan_import(text=text)
    assert [row.action for row in plan.rows] == [Action.UNCHANGED, Action.UNCHANGED]
    again = apply_import(plan=plan, actor=None)
    assert (again.created, again.updated, again.unchanged, again.units_created) == (0, 0, 2, 0)
    db.session.flush()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert dict(db.session.execute(select(User.email, User.updated_at)).all()) == stamps


def test_update_changes_only_what_the_file_says_and_touches_updated_at():
    unit = ensure_unit_path("Trust")
    old = datetime(2024, 1, 1, tzinfo=UTC)
    tom = UserFactory(email="tom@example.nhs.uk", staff_number="2", display_name="Tom", unit=unit,
                      updated_at=old, password="a-long-test-password")
    hash_before = tom.password_hash
    apply_import(plan=csv_text("2,tom@example.nhs.uk,Tom Okafor,Trust,,staff"), actor=None)
    tom = person("tom@example.nhs.uk")
    assert tom.display_name == "Tom Okafor" and tom.updated_at > old
    assert tom.password_hash == hash_before and tom.job_title == "Patient advice officer"


def test_the_admin_role_is_never_removed_by_an_import():
    unit = ensure_unit_path("Trust")
    admin = UserFactory(email="ada@example.nhs.uk", display_name="Ada", unit=unit, roles=(Role.STAFF, Role.ADMIN))
    plan = plan_import(text=csv_text(",ada@example.nhs.uk,Ada,Trust,,staff"))
    [row] = plan.rows
    assert row.keeps_admin and row.action == Action.UNCHANGED
    assert [row.email for row in plan.admins_kept] == ["ada@example.nhs.uk"]
    apply_import(plan=csv_text(",ada@example.nhs.uk,Ada,Trust,,champion"), actor=None)
    assert person("ada@example.nhs.uk").roles == {Role.CHAMPION, Role.ADMIN}
    assert admin.id == person("ada@example.nhs.uk").id


def test_apply_checks_the_text_again():
    with pytest.raises(ImportHasErrors):
        apply_import(plan=csv_text("1,amira@example.nhs.uk,,Trust,,staff"), actor=None)
    assert person("amira@example.nhs.uk") is None


def test_the_example_file_imports_cleanly():
    plan = plan_import(text=EXAMPLE_CSV)
    assert not plan.has_errors and plan.count(Action.CREATE) == 3


# --- the pages -----------------------------------------------------------------------------------------------

@pytest.fixture
def admin_client(as_user):
    return as_user(UserFactory(admin=True, unit=ensure_unit_path("Trust/IT")))


def upload(client, text: str | bytes, *, create_units: bool = False, **kwargs):
    import io

    data = text.encode() if isinstance(text, str) else text
    form = {"file": (io.BytesIO(data), "people.csv"), **({"create_units": "y"} if create_units else {})}
    return client.post("/admin/users/import", data=form, content_type="multipart/form-data", **kwargs)


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/admin/users/import"), ("post", "/admin/users/import"), ("post", "/admin/users/import/apply"),
    ("get", "/admin/users/import/example.csv"),
])
def test_import_pages_are_for_administrators_only(as_user, method, url):
    response = getattr(as_user(UserFactory(hr=True)), method)(url)
    assert response.status_code == 403


def test_upload_page_has_the_file_field_hint_and_example(admin_client):
    html = admin_client.get("/admin/users/import").get_data(as_text=True)
    assert re.search(r'<label class="label[^"]*" for="file">HR file \(CSV\)</label>', html)
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert "staff_number, email, name, unit, manager_email and roles" in html
    assert 'href="/admin/users/import/example.csv"' in html


def test_example_csv_download(admin_client):
    response = admin_client.get("/admin/users/import/example.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert not plan_import(text=decode_csv_file(response.data)).has_errors


def test_preview_lists_every_row_and_its_errors_and_writes_nothing(admin_client):
    before = counts()
    response = upload(admin_client, csv_text("1,amira@example.nhs.uk,Amira,Trust/PALS,,staff",
                                             "2,bad-email,Tom,Trust/PALS,,wizard",
                                             "3,sio@example.nhs.uk,,Trust/PALS,,staff"), create_units=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert counts() == before
    assert "<title>Error: Check the import" in html
    for number in (2, 3, 4):
        assert f'id="row-{number}"' in html
    row3 = re.search(r'<tr id="row-3" class="row--error">(.*?)</tr>', html, re.S).group(1)
    assert "bad-email is not a valid email address." in row3 and "Unknown role: wizard." in row3
    assert row3.count('class="error-message"') == 2
    row4 = re.search(r'<tr id="row-4" class="row--error">(.*?)</tr>', html, re.S).group(1)
    assert "Enter the person&#39;s name." in row4
    assert re.search(r'<tr id="row-2">.*?New', html, re.S)
    assert "Fix the errors in your file and upload it again. Nothing has been changed." in html
    assert 'href="#row-3"' in html  # the problem summary links to the row
    assert "admin/users/import/apply" not in html
    assert re.search(r"With errors</dt>\s*<dd[^>]*>2</dd>", html)


def test_clean_preview_offers_the_import_with_the_file_in_a_hidden_field(admin_client):
    before = counts()
    html = upload(admin_client, "\ufeff" + csv_text("1,amira@example.nhs.uk,Amira,Trust/PALS,,staff",
                                                    "2,tom@example.nhs.uk,Tom,Trust/PALS,amira@example.nhs.uk,staff"),
                  create_units=True).get_data(as_text=True)
    assert counts() == before
    assert "Import 2 people" in html
    assert "Trust/PALS" in re.search(r"will be created:(.*?)</ul>", html, re.S).group(1)
    assert "never removes the administrator role" in html
    content = re.search(r'<input type="hidden" name="content" value="([^"]*)"', html, re.S).group(1)
    assert content.startswith("staff_number,email") and "tom@example.nhs.uk" in content


def test_apply_imports_and_flashes_the_counts(admin_client):
    text = csv_text("1,amira@example.nhs.uk,Amira,Trust/PALS,,staff",
                    "2,tom@example.nhs.uk,Tom,Trust/PALS,amira@example.nhs.uk,staff")
    response = admin_client.post("/admin/users/import/apply",
                                 data={"content": text, "invite": "no", "create_units": "yes"})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/users/import"
    assert person("tom@example.nhs.uk").manager_id == person("amira@example.nhs.uk").id
    page = admin_client.get("/admin/users/import").get_data(as_text=True)
    assert "Import finished: 2 people added, 0 updated, 0 unchanged. 1 new unit." in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.import_applied"))
    assert event.details["created"] == 2 and event.ip == "127.0.0.1"


def test_apply_with_htmx_answers_with_hx_location_to_a_whole_page(admin_client):
    response = admin_client.post("/admin/users/import/apply", headers={"HX-Request": "true"},
                                 data={"content": csv_text("1,amira@example.nhs.uk,Amira,Trust,,staff"),
                                       "invite": "no"})
    assert response.headers["HX-Location"] == "/admin/users/import"
    # htmx follows HX-Location with an htmx GET and swaps the body: it needs the whole page, flash included.
    page = admin_client.get("/admin/users/import", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in page and "Import finished: 1 person added" in page


def test_apply_with_htmx_and_errors_answers_with_the_main_content_only(admin_client):
    response = admin_client.post("/admin/users/import/apply", headers={"HX-Request": "true"},
                                 data={"content": csv_text("1,amira@example.nhs.uk,,Trust,,staff")})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Enter the person&#39;s name." in html


def test_apply_checks_again_and_shows_errors_without_writing(admin_client):
    before = counts()
    response = admin_client.post("/admin/users/import/apply",
                                 data={"content": csv_text("1,amira@example.nhs.uk,Amira,Trust,nobody@x.org,staff")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "nobody@x.org is not in this file or in Frontline" in html
    assert "Nothing has been changed." in html
    assert counts() == before


def test_apply_without_content_asks_for_the_file_again(admin_client):
    html = admin_client.post("/admin/users/import/apply", data={"content": ""}).get_data(as_text=True)
    assert "Upload the file again: we did not receive it." in html


def test_a_large_file_round_trips_through_the_hidden_field(admin_client):
    # Well over Werkzeug's 500 kB limit for one multipart field: the apply form is sent url-encoded.
    rows = [f"{i},person{i}@example.nhs.uk,{'Person ' + str(i):<100},Trust,,staff wizard" for i in range(4000)]
    text = csv_text(*rows)
    assert len(text) > 500_000
    response = admin_client.post("/admin/users/import/apply", data={"content": text})
    assert response.status_code == 200
    assert "Unknown role: wizard." in response.get_data(as_text=True)


def test_upload_errors_show_next_to_the_file_field(admin_client):
    html = admin_client.post("/admin/users/import", data={}, content_type="multipart/form-data"
                             ).get_data(as_text=True)
    assert re.search(r'id="file-error">.*Choose the CSV file to upload', html, re.S)
    html = upload(admin_client, b"PK\x03\x04xlsx").get_data(as_text=True)
    assert re.search(r'id="file-error">.*This is an Excel workbook', html, re.S)


def test_a_file_level_error_is_shown_on_the_preview(admin_client):
    html = upload(admin_client, "name,email\r\nA,a@example.nhs.uk\r\n").get_data(as_text=True)
    assert "The file is missing these columns: staff_number, unit, manager_email, roles." in html
    assert "Fix the errors in your file and upload it again. Nothing has been changed." in html


def test_a_file_with_nothing_to_change_says_so(admin_client):
    text = csv_text("1,amira@example.nhs.uk,Amira,Trust,,staff")
    apply_import(plan=text, actor=None)
    html = upload(admin_client, text).get_data(as_text=True)
    assert "Everyone in the file is already up to date." in html
    assert "admin/users/import/apply" not in html


def test_the_preview_tags_each_row_with_what_will_happen(admin_client):
    apply_import(plan=csv_text("1,amira@example.nhs.uk,Amira,Trust,,staff",
                               "2,tom@example.nhs.uk,Tom,Trust,,staff"), actor=None)
    html = upload(admin_client, csv_text("1,amira@example.nhs.uk,Amira,Trust,,staff",
                                         "2,tom@example.nhs.uk,Tom Okafor,Trust,,staff",
                                         "3,sio@example.nhs.uk,Siobhan,Trust,,staff")).get_data(as_text=True)
    tags = {number: re.search(rf'<tr id="row-{number}">.*?<strong class="tag[^"]*">([^<]+)</strong>', html, re.S)[1]
            for number in (2, 3, 4)}
    assert tags == {2: "No change", 3: "Update", 4: "New"}
    for label, count in (("To create", 1), ("To update", 1), ("Unchanged", 1)):
        assert re.search(rf"{label}</dt>\s*<dd[^>]*>{count}</dd>", html)


# --- the command line ----------------------------------------------------------------------------------------

@pytest.fixture
def run_import(app, tmp_path):
    def run(text: str, *args: str):
        path = tmp_path / "people.csv"
        path.write_text(text, encoding="utf-8-sig")
        return app.test_cli_runner().invoke(args=["users", "import", str(path), *args])

    return run


def test_cli_dry_run_reports_and_writes_nothing(run_import):
    before = counts()
    result = run_import(csv_text("1,amira@example.nhs.uk,Amira,Trust/PALS,,staff"), "--dry-run", "--create-units")
    assert result.exit_code == 0, result.output
    assert "Row 2: Amira <amira@example.nhs.uk>: create" in result.output
    assert "Units that will be created: Trust, Trust/PALS" in result.output
    assert "1 to create, 0 to update, 0 unchanged, 0 with errors." in result.output
    assert "Dry run: nothing has been changed." in result.output
    assert counts() == before


def test_cli_dry_run_names_kept_administrators_and_unused_columns(run_import):
    UserFactory(email="ada@example.nhs.uk", display_name="Ada", staff_number="7", unit=ensure_unit_path("Trust"),
                admin=True)
    result = run_import(csv_text("7,ada@example.nhs.uk,Ada,Trust,,staff", header=HEADER + ",shoe_size"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "These people keep it: ada@example.nhs.uk" in result.output
    assert "Columns not used: shoe_size" in result.output


def test_cli_with_errors_exits_1_and_writes_nothing(run_import):
    before = counts()
    result = run_import(csv_text("1,amira@example.nhs.uk,Amira,Trust,,staff", "2,bad,Tom,Trust,,staff"))
    assert result.exit_code == 1
    assert "Row 3: Tom <bad>: create" in result.output
    assert "    ERROR: bad is not a valid email address." in result.output
    assert "Nothing has been changed." in result.output
    assert counts() == before


def test_cli_applies_and_a_second_run_changes_nothing(run_import):
    text = csv_text("1,amira@example.nhs.uk,Amira,Trust,,staff",
                    "2,tom@example.nhs.uk,Tom,Trust,amira@example.nhs.uk,staff")
    result = run_import(text, "--create-units")
    assert result.exit_code == 0, result.output
    assert "Imported: 2 created, 0 updated, 0 unchanged, 1 units created." in result.output
    assert person("tom@example.nhs.uk").manager.email == "amira@example.nhs.uk"
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    again = run_import(text)
    assert "Row 3: Tom <tom@example.nhs.uk>: unchanged" in again.output
    assert "Imported: 0 created, 0 updated, 2 unchanged, 0 units created." in again.output
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_cli_without_create_units_a_unit_nobody_has_made_is_the_rows_error(run_import):
    ensure_unit_path("Trust/PALS")
    before = counts()
    result = run_import(csv_text("1,amira@example.nhs.uk,Amira,Trust/PALS,,staff",
                                 "2,tom@example.nhs.uk,Tom,Trust/PASL,,staff"))
    assert result.exit_code == 1
    assert "Row 3: Tom <tom@example.nhs.uk>: create" in result.output
    assert '"Trust" has no unit called "PASL"' in result.output
    assert "Units that will be created" not in result.output
    assert counts() == before


def test_cli_refuses_a_file_that_is_not_utf8(app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes("staff_number,name\r\n1,Siân\r\n".encode("cp1252"))
    result = app.test_cli_runner().invoke(args=["users", "import", str(path)])
    assert result.exit_code == 1 and "not saved as UTF-8" in result.output


# --- in a real browser ---------------------------------------------------------------------------------------

def _browser_file(tmp_path, stem: str, *rows: str):
    path = tmp_path / f"{stem}.csv"
    path.write_text(csv_text(*rows), encoding="utf-8-sig")
    return path


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
def test_import_in_a_browser(browser, base_url, live_app, tmp_path, javascript):
    from playwright.sync_api import expect

    from tests.browser_support import check_page, make_person, sign_in

    email, password, _ = make_person(live_app, admin=True)
    context = browser.new_context(java_script_enabled=javascript, base_url=base_url)
    page = context.new_page()
    sign_in(page, email, password)
    page.goto("/admin/users/import")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import people from HR")
    if javascript:
        check_page(page, "admin-import")

    tag = "js" if javascript else "nojs"
    bad = _browser_file(tmp_path, "bad", f"{tag}1,a.{tag}@example.nhs.uk,Amira,Browser trust/PALS,,staff",
                        f"{tag}2,b.{tag}@example.nhs.uk,,Browser trust/PALS,,wizard")
    page.get_by_label("HR file (CSV)").set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator("#row-3")).to_contain_text("Unknown role: wizard.")
    expect(page.get_by_text("Fix the errors in your file and upload it again.")).to_be_visible()
    if javascript:
        check_page(page, "admin-import-errors")

    good = _browser_file(tmp_path, "good", f"{tag}1,a.{tag}@example.nhs.uk,Amira,Browser trust/PALS,,staff",
                         f"{tag}2,b.{tag}@example.nhs.uk,Ben,Browser trust/PALS,a.{tag}@example.nhs.uk,staff")
    page.get_by_label("HR file (CSV)").set_input_files(good)
    page.get_by_label("Create units that do not exist yet").check()  # "Browser trust/PALS" is new
    page.get_by_role("button", name="Check the file").click()
    if javascript:
        check_page(page, "admin-import-preview")
    page.get_by_role("button", name="Import 2 people").click()  # without saying whether to invite them
    expect(page.get_by_text("Choose whether to email the new people an invitation").first).to_be_visible()
    if javascript:
        check_page(page, "admin-import-invite-unanswered")
    page.get_by_label("No, not now").check()
    page.get_by_role("button", name="Import 2 people").click()
    expect(page.get_by_role("status")).to_contain_text("Import finished: 2 people added, 0 updated, 0 unchanged.")
    context.close()


# --- unknown unit paths --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "message"), [
    ("Trsut/IT", 'There is no top-level unit called "Trsut".'),
    ("Trust/TI", '"Trust" has no unit called "TI".'),
])
def test_an_unknown_unit_path_is_an_error_in_the_preview_unless_creating_units_is_chosen(admin_client, path,
                                                                                        message):
    before = counts()
    response = upload(admin_client, csv_text(f"1,amira@example.nhs.uk,Amira,{path},,staff",
                                             "2,tom@example.nhs.uk,Tom,Trust/IT,,staff"))
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and counts() == before
    row2 = re.search(r'<tr id="row-2" class="row--error">(.*?)</tr>', html, re.S).group(1)
    assert message in row2 and "Create units that do not exist yet" in row2
    assert 'href="#row-2"' in html and "<title>Error: Check the import" in html
    assert "will be created" not in html and "admin/users/import/apply" not in html
    assert re.search(r'<tr id="row-3">.*?New', html, re.S)


def test_creating_units_when_chosen_is_carried_to_the_import(admin_client):
    text = csv_text("1,amira@example.nhs.uk,Amira,Trust/PALS/North team,,staff")
    html = upload(admin_client, text, create_units=True).get_data(as_text=True)
    assert "Trust/PALS/North team" in re.search(r"will be created:(.*?)</ul>", html, re.S).group(1)
    assert '<input type="hidden" name="create_units" value="yes">' in html
    response = admin_client.post("/admin/users/import/apply",
                                 data={"content": text, "invite": "no", "create_units": "yes"})
    assert response.status_code == 303
    assert find_unit_by_path("Trust/PALS/North team").id == person("amira@example.nhs.uk").unit_id


def test_the_import_checks_unknown_units_again_without_the_choice(admin_client):
    before = counts()
    response = admin_client.post("/admin/users/import/apply", data={
        "content": csv_text("1,amira@example.nhs.uk,Amira,Trsut,,staff"), "invite": "no"})
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and counts() == before
    assert 'There is no top-level unit called "Trsut".' in html


def test_the_upload_form_offers_creating_units_unticked(admin_client):
    html = admin_client.get("/admin/users/import").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="create_units"[^>]*>', html).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
