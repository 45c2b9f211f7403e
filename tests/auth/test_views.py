"""Signing in and out over HTTP: sessions, generic failures, passwords, the language, rate limits; the home page and
the health check (the home package has no test folder of its own)."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string, url_for
from sqlalchemy import select

from portal.auth.passwords import verify_password
from portal.auth.services import SIGN_IN_FAILED, set_temporary_password, sign_out_everywhere
from portal.common.access import access_for
from portal.common.audit import AuditEvent
from portal.extensions import db
from tests.conftest import CSRF_INPUT, make_test_app
from tests.databases import on_postgres
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")
NEW_PASSWORD = "three calm herons"


def sign_in(client, email: str, password: str = DEFAULT_PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def is_signed_in(client) -> bool:
    return client.get("/").status_code == 200


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


# --- the sign-in page -----------------------------------------------------------------------------------------

def test_sign_in_page_has_the_labelled_fields(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<label class="label " for="email">Email</label>' in html
    assert '<label class="label " for="password">Password</label>' in html
    assert '<button type="submit" class="button">Sign in</button>' in html


def test_sign_in_starts_a_new_session(client):
    user = UserFactory()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted_by_an_attacker"] = "yes"
        old_csrf = session["csrf_token"]
    before = session_cookie(client)

    response = sign_in(client, user.email)

    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted_by_an_attacker" not in session
        assert session.get("csrf_token") != old_csrf
        assert session["_user_id"] == user.get_id()
    assert is_signed_in(client)


def test_sign_in_keeps_the_chosen_language(client):
    user = UserFactory()
    client.post("/language", data={"locale": "cy"})
    sign_in(client, user.email)
    assert '<html lang="cy">' in client.get("/").get_data(as_text=True)


def test_sign_in_ignores_the_case_of_the_email(client):
    UserFactory(email="claire.bennett@example.nhs.uk")
    assert sign_in(client, "  Claire.Bennett@EXAMPLE.nhs.uk ").status_code == 303


@pytest.mark.parametrize(("case", "reason"), [
    ("wrong password", "wrong_password"), ("unknown email", "no_account"), ("deactivated", "deactivated"),
])
def test_failed_sign_in_is_generic_but_audited_with_the_reason(client, case, reason):
    user = UserFactory(is_active_account=case != "deactivated")
    email = "nobody@example.nhs.uk" if case == "unknown email" else user.email
    response = sign_in(client, email, "not-the-password" if case == "wrong password" else DEFAULT_PASSWORD)
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert SIGN_IN_FAILED.replace("'", "&#39;") in html
    assert f'value="{email}"' in html  # what they typed is kept
    assert DEFAULT_PASSWORD not in html
    assert not is_signed_in(client)
    db.session.expire_all()
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed"))
    assert event.details["reason"] == reason
    assert event.ip == "127.0.0.1"


def test_the_three_failures_look_identical(client):
    """Same status, same words, same page apart from the email echoed back: nothing tells them apart."""
    active, gone = UserFactory(email="a@example.nhs.uk"), UserFactory(email="b@example.nhs.uk",
                                                                      is_active_account=False)
    pages = []
    for email, password in [(active.email, "wrong-password"), ("c@example.nhs.uk", DEFAULT_PASSWORD),
                            (gone.email, DEFAULT_PASSWORD)]:
        response = sign_in(client, email, password)
        html = response.get_data(as_text=True).replace(email, "EMAIL")
        token = CSRF_INPUT.search(html).group(1)
        pages.append((response.status_code, html.replace(token, "TOKEN")))
    assert pages[0] == pages[1] == pages[2]


def test_empty_form_shows_errors_next_to_the_fields(client):
    html = sign_in(client, "", "").get_data(as_text=True)
    assert "Enter your email address" in html
    assert "Enter your password" in html
    assert "<title>Error: " in html


def test_signed_in_people_visiting_the_sign_in_page_go_on(as_user):
    response = as_user(UserFactory()).get("/login?next=/admin/users")
    assert (response.status_code, response.headers["Location"]) == (302, "/admin/users")


# --- signing out ------------------------------------------------------------------------------------------------

def test_logout_is_post_only(as_user):
    client = as_user(UserFactory())
    assert client.get("/logout").status_code == 405
    assert is_signed_in(client)


def test_logout_when_already_signed_out(client):
    response = client.post("/logout")
    assert (response.status_code, response.headers["Location"]) == (303, "/login")


def test_logout_ends_the_session(client):
    user = UserFactory()
    sign_in(client, user.email)
    response = client.post("/logout")
    assert (response.status_code, response.headers["Location"]) == (303, "/login")
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert not is_signed_in(client)
    assert "You have signed out." in client.get("/login").get_data(as_text=True)


def test_sign_out_everywhere_ends_every_session(app, as_user):
    user = UserFactory()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user.email)
    sign_in(phone, user.email)
    assert is_signed_in(laptop) and is_signed_in(phone)

    sign_out_everywhere(user=user, actor=user)

    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    sign_in(phone, user.email)
    assert is_signed_in(phone)


@pytest.mark.parametrize("session_id", ["", "abc:token", "²:token", "-1:token", "{id}", "{id}:", "{id}:stale"])
def test_a_session_that_names_no_current_sign_in_is_signed_out(client, session_id):
    user = UserFactory()
    with client.session_transaction() as session:
        session["_user_id"] = session_id.format(id=user.id)
    assert client.get("/").headers["Location"] == "/login?next=/"


def test_signed_out_htmx_requests_go_to_sign_in_from_the_page_they_were_on(client):
    htmx = {"HX-Request": "true", "HX-Current-URL": "http://localhost/admin/users?q=ann"}
    response = client.get("/admin/users?after=x", headers=htmx)
    assert (response.status_code, response.headers["HX-Redirect"]) == (200, "/login?next=/admin/users?q%3Dann")
    response = client.post("/admin/users/new", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == "/login"
    assert client.post("/admin/users/new").headers["Location"] == "/login"


def test_deactivated_people_are_signed_out_at_once(as_user):
    user = UserFactory()
    client = as_user(user)
    assert is_signed_in(client)
    user.is_active_account = False
    db.session.flush()
    assert not is_signed_in(client)


# --- changing your password -------------------------------------------------------------------------------------

def change(client, current=DEFAULT_PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                  "confirm_password": new if confirm is None else confirm})


@pytest.mark.parametrize(("form", "message"), [
    ({"current": "wrong-current-password"}, "Your current password is not right."),
    ({"new": "too short", "confirm": "too short"}, "Use at least 10 characters."),
    ({"confirm": "three calm heron"}, "The two new passwords are not the same"),
    ({"new": DEFAULT_PASSWORD}, "Choose a password different from your current one."),
])
def test_change_password_errors(as_user, form, message):
    user = UserFactory()
    response = change(as_user(user), **form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert '<p class="error-message"' in html
    db.session.expire_all()
    assert verify_password(user.password_hash, DEFAULT_PASSWORD)


def test_change_password_signs_out_other_sessions_but_not_this_one(app):
    user = UserFactory()
    this, other = app.test_client(), app.test_client()
    sign_in(this, user.email)
    sign_in(other, user.email)

    response = change(this)

    assert (response.status_code, response.headers["Location"]) == (303, "/")
    home = this.get("/")
    assert home.status_code == 200
    assert "Your password has been changed." in home.get_data(as_text=True)
    assert not is_signed_in(other)
    db.session.expire_all()
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert sign_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 303


def signed_in_pages(app) -> list[str]:
    """Every signed-in GET page without URL arguments, except the change-password page itself."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "GET" in rule.methods and "<" not in rule.rule and access_for(rule.endpoint).signed_in
                  and not access_for(rule.endpoint).allow_password_change_pending)


def test_a_temporary_password_must_be_changed_before_anything_else(app, client):
    admin, user = UserFactory(admin=True), UserFactory(admin=True)
    set_temporary_password(user=user, password="temporary-words", actor=admin)
    response = sign_in(client, user.email, "temporary-words")
    assert response.status_code == 303

    pages = signed_in_pages(app)
    assert "/" in pages and "/admin/users" in pages
    for page in pages:
        response = client.get(page)
        assert (page, response.status_code, response.headers.get("Location")) == (page, 302, "/account/password")
    html = client.get("/account/password").get_data(as_text=True)
    assert "You signed in with a temporary password." in html
    assert client.get("/healthz").status_code == 200  # public pages stay reachable

    assert change(client, current="temporary-words").status_code == 303
    assert client.get("/").status_code == 200
    assert client.get("/admin/users").status_code == 200


def test_change_password_page_needs_sign_in(client):
    response = client.get("/account/password")
    assert (response.status_code, response.headers["Location"]) == (302, "/login?next=/account/password")


# --- rate limits ------------------------------------------------------------------------------------------------

def test_sixth_failure_for_one_account_is_refused_from_any_address(client):
    user = UserFactory()
    for n in range(5):
        response = sign_in(client, user.email, "wrong-password", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert response.status_code == 200
    other_address = {"REMOTE_ADDR": "192.168.7.7"}
    response = sign_in(client, user.email, "wrong-password", environ_base=other_address)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Even the right password waits: otherwise guessing could go on until it succeeds.
    assert sign_in(client, user.email, environ_base=other_address).status_code == 429
    # Other people are not affected.
    assert sign_in(client, UserFactory().email, environ_base=other_address).status_code == 303


def test_the_account_limit_ignores_the_case_of_the_email(client):
    user = UserFactory(email="case@example.nhs.uk")
    for email in ["case@example.nhs.uk", "CASE@example.nhs.uk", " Case@Example.nhs.uk", "case@EXAMPLE.NHS.UK",
                  "cAse@example.nhs.uk"]:
        assert sign_in(client, email, "wrong-password").status_code == 200
    assert sign_in(client, user.email.upper(), "wrong-password").status_code == 429


def test_one_address_trying_many_accounts_is_refused(app, client):
    address = {"REMOTE_ADDR": "203.0.113.9"}
    limit = int(app.config["LOGIN_LIMIT_PER_IP"].split()[0])
    for n in range(limit):
        response = sign_in(client, f"guess{n}@example.nhs.uk", "wrong-password", environ_base=address)
        assert response.status_code == 200
    assert sign_in(client, "guess-new@example.nhs.uk", "wrong-password", environ_base=address).status_code == 429
    assert sign_in(client, UserFactory().email, environ_base=address).status_code == 429
    assert sign_in(client, UserFactory().email, environ_base={"REMOTE_ADDR": "203.0.113.10"}).status_code == 303


def test_successful_sign_ins_are_not_counted(app):
    user = UserFactory()
    for _ in range(4):
        assert sign_in(app.test_client(), user.email, "wrong-password").status_code == 200
    for _ in range(3):
        assert sign_in(app.test_client(), user.email).status_code == 303
    assert sign_in(app.test_client(), user.email, "wrong-password").status_code == 200  # the fifth failure
    assert sign_in(app.test_client(), user.email, "wrong-password").status_code == 429  # the sixth


# --- the language ---------------------------------------------------------------------------------------------

def test_the_chosen_language_is_kept_on_the_account(as_user):
    user = UserFactory()
    client = as_user(user)
    response = client.post("/language", data={"locale": "cy", "next": "/account/password"})
    assert (response.status_code, response.headers["Location"]) == (303, "/account/password")
    db.session.expire_all()
    assert user.locale == "cy"
    client.post("/language", data={"locale": "xx"})
    db.session.expire_all()
    assert user.locale == "cy"


def test_signed_out_people_choose_a_language_for_their_session(client):
    response = client.post("/language", data={"locale": "cy", "next": "https://elsewhere.example/"})
    assert (response.status_code, response.headers["Location"]) == (303, "/")
    assert '<html lang="cy">' in client.get("/login").get_data(as_text=True)


def test_every_template_has_an_empty_form_for_post_only_buttons(app):
    with app.test_request_context():
        assert 'name="csrf_token"' in render_template_string("{{ empty_form().csrf_token }}")


# --- the home page ---------------------------------------------------------------------------------------------

def test_home_page_title_is_home_and_the_tools_are_in_the_page(as_user):
    html = as_user(UserFactory(admin=True)).get("/").get_data(as_text=True)
    assert re.search(r"<title>(.*?)</title>", html, re.S).group(1) == "Home – Frontline"
    assert html.count('<h2 id="tools-heading">') == 1
    main = html[html.index("<main"):]
    assert '<h2 id="tools-heading">Your tools</h2>' in main and 'href="/admin/users"' in main


# --- health check -----------------------------------------------------------------------------------------------

def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_when_the_database_cannot_be_reached(tmp_path):
    if on_postgres():
        unreachable = "postgresql+psycopg://postgres@127.0.0.1:1/frontline?connect_timeout=2"
    else:
        unreachable = f"sqlite:///{tmp_path}/no-such-folder/frontline.db"
    app = make_test_app(unreachable, run_migrations=False)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    with app.app_context():
        db.engine.dispose()


def test_url_for_login_is_the_documented_address(app):
    with app.test_request_context():
        assert url_for("auth.login") == "/login"
        assert url_for("auth.logout") == "/logout"
