"""Signing in with the organisation's directory: a real slapd, searched and bound to by ldap3, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.directory import DirectoryRejected, DirectoryUnavailable, check_credentials, read_everyone
from portal.auth.models import User
from portal.auth.services import SIGN_IN_FAILED
from portal.common.audit import AuditEvent
from portal.common.roles import Role
from portal.extensions import db
from portal.org.models import Unit
from tests.auth.conftest import TRUST, directory_settings, staff
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.ldap_server import PERSON_PASSWORD, SERVICE_DN, free_port

pytestmark = pytest.mark.usefixtures("app_ctx")
DOWN = "Frontline cannot reach the staff directory just now"


def sign_in(client, identifier: str, password: str = PERSON_PASSWORD):
    return client.post("/login", data={"email": identifier, "password": password})


def account(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def failures() -> list[dict]:
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed")
                                .order_by(AuditEvent.id))
    return [event.details for event in events]


def signed_in_events(user: User) -> list[dict]:
    return [e.details for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "auth.signed_in", AuditEvent.target_id == str(user.id)))]


# --- signing in ----------------------------------------------------------------------------------------------

def test_first_sign_in_creates_the_account_from_the_directory(directory, client):
    response = sign_in(client, "tom")
    assert (response.status_code, response.headers["Location"]) == (303, "/")
    tom = account("tom.okafor@example.nhs.uk")
    assert tom.display_name == "Tom Okafor"
    assert tom.staff_number == "100871"
    assert tom.job_title == "Patient advice officer"
    assert tom.unit.name == "PALS" and db.session.get(Unit, tom.unit.parent_id).name == TRUST
    assert tom.roles == {Role.STAFF, Role.CHAMPION}
    assert tom.password_hash is None and tom.is_directory_account
    assert tom.manager is None  # Amira has no account yet: her first sign-in links them
    assert signed_in_events(tom) == [{"method": "directory"}]
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created"))
    assert created.details["source"] == "directory" and created.actor_id is None
    assert client.get("/").status_code == 200


def test_people_sign_in_with_their_email_or_user_name_in_any_case(directory, app):
    for identifier in ("amira", "AMIRA", "amira.haddad@example.nhs.uk", " Amira.Haddad@EXAMPLE.nhs.uk "):
        assert sign_in(app.test_client(), identifier).status_code == 303, identifier
    assert db.session.scalar(select(User).where(User.email == "amira.haddad@example.nhs.uk")) is not None
    assert len(list(db.session.scalars(select(User).where(User.directory_id.is_not(None))))) == 1


def test_later_sign_ins_refresh_details_roles_and_manager(directory, app):
    sign_in(app.test_client(), "amira")
    sign_in(app.test_client(), "tom")
    directory.change("tom", displayName="Tom Okafor-Reid", title="Senior patient advice officer",
                     departmentNumber="Complaints", mail="tom.okafor-reid@example.nhs.uk")
    directory.set_members("champions", [])
    directory.set_members("frontline-admins", ["amira", "tom"])

    assert sign_in(app.test_client(), "tom").status_code == 303

    tom = account("tom.okafor-reid@example.nhs.uk")
    assert tom.display_name == "Tom Okafor-Reid" and tom.job_title == "Senior patient advice officer"
    assert tom.unit.name == "Complaints"
    assert tom.manager.email == "amira.haddad@example.nhs.uk"
    assert tom.roles == {Role.STAFF, Role.ADMIN}
    changed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.roles_changed"))
    assert changed.details == {"added": ["admin"], "removed": ["champion"]}


def test_roles_without_a_group_are_frontlines_to_give(directory, app):
    sign_in(app.test_client(), "tom")
    tom = account("tom.okafor@example.nhs.uk")
    tom.set_roles({Role.STAFF, Role.CHAMPION, Role.PANEL, Role.SUPPORTER})
    db.session.flush()
    directory.set_members("champions", [])
    sign_in(app.test_client(), "tom")
    assert account("tom.okafor@example.nhs.uk").roles == {Role.STAFF, Role.PANEL, Role.SUPPORTER}


def test_a_person_added_by_hr_is_linked_not_duplicated(directory, client):
    hr_added = UserFactory(email="siobhan.kelly@example.nhs.uk", staff_number="101402", password_hash=None)
    assert sign_in(client, "siobhan").status_code == 303
    db.session.expire_all()
    assert hr_added.directory_id is not None
    assert db.session.scalars(select(User).where(User.staff_number == "101402")).all() == [hr_added]


def test_wrong_password_is_refused_with_the_generic_message(directory, client):
    response = sign_in(client, "tom", "not-the-password")
    assert response.status_code == 200
    assert SIGN_IN_FAILED.replace("'", "&#39;") in response.get_data(as_text=True)
    assert account("tom.okafor@example.nhs.uk") is None
    assert failures() == [{"reason": "directory_wrong_password", "method": "directory"}]


def test_an_unknown_name_looks_the_same_as_a_wrong_password(directory, client):
    wrong = sign_in(client, "tom", "not-the-password").get_data(as_text=True)
    unknown = sign_in(client, "nobody", "not-the-password").get_data(as_text=True)
    assert SIGN_IN_FAILED.replace("'", "&#39;") in wrong and SIGN_IN_FAILED.replace("'", "&#39;") in unknown
    assert failures()[-1] == {"reason": "directory_no_entry", "method": "directory"}


def test_an_empty_password_never_reaches_the_directory(directory):
    """An LDAP bind with an empty password is an "unauthenticated bind", which many directories accept."""
    with pytest.raises(DirectoryRejected) as refused:
        check_credentials(username="tom", password="")
    assert refused.value.reason == "wrong_password"


def test_a_disabled_directory_account_cannot_sign_in(directory, client):
    response = sign_in(client, "left")
    assert response.status_code == 200
    assert SIGN_IN_FAILED.replace("'", "&#39;") in response.get_data(as_text=True)
    assert failures() == [{"reason": "directory_disabled", "method": "directory"}]
    assert account("leon.left@example.nhs.uk") is None


def test_disabling_someone_who_has_signed_in_stops_their_next_sign_in(directory, app):
    assert sign_in(app.test_client(), "tom").status_code == 303
    directory.change("tom", employeeType="left")
    assert sign_in(app.test_client(), "tom").status_code == 200
    assert failures()[-1]["reason"] == "directory_disabled"


def test_a_deactivated_frontline_account_stays_out_whatever_the_directory_says(directory, app):
    sign_in(app.test_client(), "tom")
    tom = account("tom.okafor@example.nhs.uk")
    tom.is_active_account = False
    db.session.flush()
    assert sign_in(app.test_client(), "tom").status_code == 200
    assert failures()[-1] == {"reason": "deactivated", "method": "directory"}


@pytest.mark.parametrize("typed", ["*", "tom)(uid=*", "amira*", "*)(|(uid=*"])
def test_filter_characters_are_escaped(directory, client, typed):
    assert sign_in(client, typed).status_code == 200
    assert failures()[-1]["reason"] == "directory_no_entry"


def test_an_entry_without_an_email_cannot_become_an_account(directory, client):
    directory.add_person("noemail", name="No Email", email=None)
    assert sign_in(client, "noemail").status_code == 200
    assert failures()[-1]["reason"] == "directory_no_email"


def test_bind_as_the_person_without_a_service_account(slapd, configure, app):
    tree = staff(slapd.tree())
    configure(**directory_settings(slapd, tree, LDAP_BIND_DN=None, LDAP_BIND_PASSWORD=None,
                                   LDAP_USER_DN_TEMPLATE=f"uid={{username}},{tree.people_base}",
                                   LDAP_LOGIN_ATTRIBUTES="uid"))
    assert sign_in(app.test_client(), "amira").status_code == 303
    assert account("amira.haddad@example.nhs.uk").roles == {Role.STAFF, Role.ADMIN}
    assert sign_in(app.test_client(), "tom", "wrong-password").status_code == 200
    assert failures()[-1]["reason"] == "directory_wrong_password"


def test_active_directory_style_attributes(slapd, configure, app):
    """sAMAccountName or userPrincipalName to sign in, objectGUID as the id, employeeID, department, and the
    disabled bit of userAccountControl read with AD's bitwise matching rule."""
    tree = slapd.tree()
    tree.add_person("jsmith", name="Jo Smith", email="jo.smith@example.gov.uk", staff_number="E1001",
                    department="Jobcentre Plus/Leeds", ad=True)
    tree.add_person("gone", name="Gone Away", email="gone@example.gov.uk", ad=True, disabled=True)
    tree.add_group("frontline-admins", [])
    tree.add_group("champions", ["jsmith"])
    configure(**directory_settings(
        slapd, tree, LDAP_USER_FILTER="(objectClass=frontlineTestAdUser)",
        LDAP_LOGIN_ATTRIBUTES="sAMAccountName userPrincipalName mail",
        LDAP_DISABLED_FILTER="(userAccountControl:1.2.840.113556.1.4.803:=2)",
        LDAP_ATTRIBUTES="id=objectGUID staff_number=employeeID department=department"))
    assert sign_in(app.test_client(), "jsmith@corp.frontline.test").status_code == 303
    jo = account("jo.smith@example.gov.uk")
    assert jo.staff_number == "E1001" and jo.unit.name == "Leeds" and jo.roles == {Role.STAFF, Role.CHAMPION}
    assert len(jo.directory_id) == 36 and jo.directory_id.count("-") == 4  # the GUID as a UUID
    assert sign_in(app.test_client(), "gone").status_code == 200
    assert failures()[-1]["reason"] == "directory_disabled"


# --- encryption --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("transport", ["ldaps", "starttls"])
def test_ldaps_and_starttls_with_the_test_ca(slapd, configure, client, transport):
    tree = staff(slapd.tree())
    url = slapd.ldaps_url if transport == "ldaps" else slapd.starttls_url
    configure(**directory_settings(slapd, tree, LDAP_URL=url, LDAP_STARTTLS=transport == "starttls",
                                   LDAP_CA_FILE=str(slapd.ca_file)))
    assert sign_in(client, "tom").status_code == 303


@pytest.mark.parametrize("transport", ["ldaps", "starttls"])
def test_a_certificate_from_another_ca_is_refused(slapd, configure, client, transport):
    tree = staff(slapd.tree())
    url = slapd.ldaps_url if transport == "ldaps" else slapd.starttls_url
    configure(**directory_settings(slapd, tree, LDAP_URL=url, LDAP_STARTTLS=transport == "starttls",
                                   LDAP_CA_FILE=str(slapd.other_ca_file)))
    response = sign_in(client, "tom")
    assert response.status_code == 200 and DOWN in response.get_data(as_text=True)
    with pytest.raises(DirectoryUnavailable) as down:
        check_credentials(username="tom", password=PERSON_PASSWORD)
    assert "CERTIFICATE_VERIFY_FAILED" in down.value.detail


def test_a_certificate_for_another_name_is_refused(slapd, configure):
    """The server's certificate names localhost only; reached as 127.0.0.1, it must not be trusted."""
    tree = staff(slapd.tree())
    configure(**directory_settings(slapd, tree, LDAP_URL=f"ldaps://127.0.0.1:{slapd.tls_port}",
                                   LDAP_CA_FILE=str(slapd.ca_file)))
    with pytest.raises(DirectoryUnavailable) as down:
        check_credentials(username="tom", password=PERSON_PASSWORD)
    assert "IP address mismatch" in down.value.detail or "doesn't match" in down.value.detail


# --- a directory that is down --------------------------------------------------------------------------------

def test_a_directory_that_is_down_gives_a_clear_message_and_the_local_administrator_still_signs_in(slapd, configure,
                                                                                                  app):
    tree = staff(slapd.tree())
    configure(**directory_settings(slapd, tree, LDAP_URL=f"ldap://127.0.0.1:{free_port()}"))
    response = sign_in(app.test_client(), "tom")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert DOWN in html and SIGN_IN_FAILED.replace("'", "&#39;") not in html
    assert failures()[-1] == {"reason": "directory_unavailable", "method": "directory"}

    admin = UserFactory(admin=True, email="local.admin@example.nhs.uk")
    assert sign_in(app.test_client(), admin.email, DEFAULT_PASSWORD).status_code == 303
    assert signed_in_events(admin) == [{"method": "password"}]  # Frontline's own password


def test_the_second_server_is_used_when_the_first_is_down(slapd, configure, client):
    tree = staff(slapd.tree())
    configure(**directory_settings(slapd, tree, LDAP_URL=f"ldap://127.0.0.1:{free_port()} {slapd.url}"))
    assert sign_in(client, "tom").status_code == 303


def test_a_refused_service_account_is_a_directory_problem_not_a_wrong_password(slapd, configure, client):
    tree = staff(slapd.tree())
    configure(**directory_settings(slapd, tree, LDAP_BIND_PASSWORD="not-the-service-password"))
    response = sign_in(client, "tom")
    assert DOWN in response.get_data(as_text=True)


# --- local accounts beside the directory --------------------------------------------------------------------------

def test_local_accounts_keep_working_beside_the_directory(directory, client):
    local = UserFactory(email="agency.worker@example.nhs.uk")
    assert sign_in(client, local.email, DEFAULT_PASSWORD).status_code == 303


def test_only_administrators_keep_local_passwords_when_configured(directory, configure, app):
    configure(LOCAL_SIGN_IN="administrators")
    local, admin = UserFactory(email="agency.worker@example.nhs.uk"), UserFactory(admin=True)
    assert sign_in(app.test_client(), local.email, DEFAULT_PASSWORD).status_code == 200
    assert failures()[-1]["reason"] == "directory_no_entry"
    assert sign_in(app.test_client(), admin.email, DEFAULT_PASSWORD).status_code == 303


def test_a_wrong_local_password_is_tried_against_the_directory(directory, client):
    """Someone given a temporary password before the directory came signs in with their directory password."""
    tom = UserFactory(email="tom.okafor@example.nhs.uk", staff_number="100871")
    assert sign_in(client, tom.email).status_code == 303
    db.session.expire_all()
    assert tom.directory_id is not None


def test_read_everyone_pages_through_the_directory(directory):
    people = read_everyone(page_size=2)
    by_email = {p.email: p for p in people}
    assert set(by_email) == {"amira.haddad@example.nhs.uk", "tom.okafor@example.nhs.uk",
                             "siobhan.kelly@example.nhs.uk", "leon.left@example.nhs.uk"}
    assert by_email["leon.left@example.nhs.uk"].disabled
    assert by_email["tom.okafor@example.nhs.uk"].manager_email == "amira.haddad@example.nhs.uk"
    assert by_email["amira.haddad@example.nhs.uk"].roles == {Role.ADMIN}
    assert SERVICE_DN not in {p.dn for p in people}
