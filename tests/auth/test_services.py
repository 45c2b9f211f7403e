"""Account services without HTTP: signing in, passwords, sessions, creating and changing people."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.passwords import hash_password, verify_password
from portal.auth.services import (
    SIGN_IN_FAILED,
    PersonDetails,
    SignInFailed,
    authenticate,
    change_password,
    create_user,
    set_active,
    set_temporary_password,
    sign_out_everywhere,
    update_user,
)
from portal.common.audit import AuditEvent
from portal.common.errors import Conflict, DomainError
from portal.common.roles import Role
from portal.extensions import db
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- signing in ------------------------------------------------------------------------------------------------

def test_authenticate_returns_the_person_and_records_it():
    user = UserFactory(email="priya.shah@example.nhs.uk")
    assert authenticate(email="  Priya.Shah@Example.NHS.uk ", password=DEFAULT_PASSWORD) is user
    assert user.last_sign_in_at is not None
    [event] = audit("auth.signed_in")
    assert (event.actor_id, event.target_id, event.details) == (user.id, str(user.id), {"method": "password"})


@pytest.mark.parametrize(("case", "reason"), [
    ("wrong password", "wrong_password"), ("unknown email", "no_account"), ("deactivated", "deactivated"),
])
def test_every_failure_says_the_same_but_the_audit_log_knows_why(case, reason):
    user = UserFactory(email="tom@example.nhs.uk", is_active_account=case != "deactivated")
    email = "nobody@example.nhs.uk" if case == "unknown email" else user.email
    password = "not-the-password" if case == "wrong password" else DEFAULT_PASSWORD
    with pytest.raises(SignInFailed) as raised:
        authenticate(email=email, password=password)
    assert raised.value.message == SIGN_IN_FAILED
    [event] = audit("auth.sign_in_failed")
    expected = {"reason": reason, "email_domain": "example.nhs.uk"} if case == "unknown email" else {"reason": reason}
    assert event.details == expected  # the person is the target; for an unknown address, only its domain
    assert event.target_id == (None if case == "unknown email" else str(user.id))
    assert audit("auth.signed_in") == []


def test_a_person_without_a_password_cannot_sign_in():
    user = UserFactory(password_hash=None)
    with pytest.raises(SignInFailed):
        authenticate(email=user.email, password="")


def test_an_outdated_hash_is_upgraded_on_sign_in(app):
    user = UserFactory()
    params = app.config["ARGON2_PARAMS"]
    app.config["ARGON2_PARAMS"] = {**params, "time_cost": params["time_cost"] + 1}
    try:
        old_hash = user.password_hash
        authenticate(email=user.email, password=DEFAULT_PASSWORD)
        assert user.password_hash != old_hash
        assert f"t={params['time_cost'] + 1}" in user.password_hash
    finally:
        app.config["ARGON2_PARAMS"] = params


# --- passwords -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("current", "new", "field", "message"), [
    ("wrong-current-password", "a brand new password", "current_password", "Your current password is not right."),
    (DEFAULT_PASSWORD, "short", "new_password", "Use at least 10 characters."),
    (DEFAULT_PASSWORD, "x" * 257, "new_password", "Use 256 characters or fewer."),
    (DEFAULT_PASSWORD, DEFAULT_PASSWORD, "new_password", "Choose a password different from your current one."),
])
def test_change_password_rules(current, new, field, message):
    user = UserFactory()
    token = user.session_token
    with pytest.raises(DomainError) as raised:
        change_password(user=user, current_password=current, new_password=new)
    assert (raised.value.field, raised.value.message) == (field, message)
    assert verify_password(user.password_hash, DEFAULT_PASSWORD)
    assert user.session_token == token


def test_change_password_rotates_the_session_token_and_clears_the_temporary_flag():
    user = UserFactory(must_change_password=True)
    token = user.session_token
    change_password(user=user, current_password=DEFAULT_PASSWORD, new_password="a brand new password")
    assert verify_password(user.password_hash, "a brand new password")
    assert not user.must_change_password
    assert user.session_token != token
    assert len(audit("auth.password_changed")) == 1


def test_temporary_password():
    admin, user = UserFactory(admin=True), UserFactory()
    token = user.session_token
    set_temporary_password(user=user, password="temporary-words", actor=admin)
    assert user.must_change_password
    assert verify_password(user.password_hash, "temporary-words")
    assert user.session_token != token
    [event] = audit("auth.temporary_password_set")
    assert (event.actor_id, event.target_id) == (admin.id, str(user.id))
    with pytest.raises(DomainError):
        set_temporary_password(user=user, password="short", actor=admin)


def test_sign_out_everywhere_rotates_the_token():
    user = UserFactory()
    token = user.session_token
    sign_out_everywhere(user=user, actor=user)
    assert user.session_token != token
    assert len(audit("auth.signed_out_everywhere")) == 1


# --- people ----------------------------------------------------------------------------------------------------

def details(unit, **overrides) -> PersonDetails:
    values = {"email": "Grace.Okafor@Example.NHS.uk", "display_name": " Grace Okafor ", "unit": unit,
              "job_title": "PALS officer", "staff_number": "N123", "roles": [Role.STAFF, Role.CHAMPION]}
    return PersonDetails(**{**values, **overrides})


def test_create_user_normalises_and_records():
    unit, admin = UnitFactory(), UserFactory(admin=True)
    user = create_user(details=details(unit), password="a long password", actor=admin)
    assert (user.email, user.display_name) == ("grace.okafor@example.nhs.uk", "Grace Okafor")
    assert user.roles == {Role.STAFF, Role.CHAMPION}
    assert verify_password(user.password_hash, "a long password")
    [event] = audit("user.created")
    assert event.actor_id == admin.id
    assert event.details == {"email": user.email, "roles": ["champion", "staff"], "unit_id": unit.id}


def test_create_user_without_a_password_cannot_sign_in_yet():
    user = create_user(details=details(UnitFactory()), actor=None)
    assert user.password_hash is None


@pytest.mark.parametrize(("overrides", "error", "field"), [
    ({"email": "GRACE.okafor@example.nhs.uk", "staff_number": None}, Conflict, "email"),
    ({"email": "someone.else@example.nhs.uk", "staff_number": "n123"}, Conflict, "staff_number"),
    ({"email": "not an email"}, DomainError, "email"),
    ({"display_name": "   "}, DomainError, "display_name"),
])
def test_create_user_refuses(overrides, error, field):
    unit = UnitFactory()
    create_user(details=details(unit), actor=None)
    with pytest.raises(error) as raised:
        create_user(details=details(unit, **overrides), actor=None)
    assert raised.value.field == field


def test_create_user_checks_the_password_rules():
    with pytest.raises(DomainError) as raised:
        create_user(details=details(UnitFactory()), password="short", actor=None)
    assert raised.value.field == "password"


def test_update_user_reports_and_records_what_changed():
    admin = UserFactory(admin=True)
    user = create_user(details=details(UnitFactory()), actor=admin)
    changed = update_user(user=user, details=details(user.unit, job_title="Senior PALS officer",
                                                     roles=[Role.STAFF, Role.SUPPORTER]), actor=admin)
    assert changed == ["job_title", "roles"]
    [roles_event] = audit("user.roles_changed")
    assert roles_event.details == {"added": ["supporter"], "removed": ["champion"]}
    [updated] = audit("user.updated")
    assert updated.details == {"fields": ["job_title", "roles"]}


def test_nobody_manages_themselves_through_others():
    unit = UnitFactory()
    boss = UserFactory(unit=unit)
    middle = UserFactory(unit=unit, manager=boss)
    with pytest.raises(DomainError) as raised:
        update_user(user=boss, details=PersonDetails(email=boss.email, display_name=boss.display_name, unit=unit,
                                                     manager=middle), actor=None)
    assert raised.value.field == "manager_id"


def test_deactivating_signs_out_and_cannot_be_done_to_yourself():
    admin, user = UserFactory(admin=True), UserFactory()
    token = user.session_token
    set_active(user=user, active=False, actor=admin)
    assert not user.is_active and user.session_token != token
    with pytest.raises(DomainError):
        set_active(user=admin, active=False, actor=admin)
    set_active(user=user, active=True, actor=admin)
    assert user.is_active
    assert [e.action for e in audit("user.deactivated") + audit("user.reactivated")] == [
        "user.deactivated", "user.reactivated"]


def test_hashes_are_argon2id():
    assert hash_password("any old password").startswith("$argon2id$")


def test_a_password_typed_into_the_email_box_never_reaches_the_audit_log():
    with pytest.raises(SignInFailed):
        authenticate(email="Correct-Horse-Battery-9", password="whatever-it-is")
    [event] = audit("auth.sign_in_failed")
    assert "Correct-Horse" not in str(event.details).title() and event.details == {"reason": "no_account"}
