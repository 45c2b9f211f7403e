"""Invitations and "Forgotten your password?" end to end over HTTP, with the worker delivering to a real SMTP server
(aiosmtpd): the emailed link works once, expires, cannot be guessed, and the pages never tell who has an account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import SignInToken, User
from portal.auth.passwords import verify_password
from portal.auth.tokens import hash_token
from portal.common.audit import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.worker import run_once
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")
NEW_PASSWORD = "three calm herons"
LINK = re.compile(r"https?://[^/\s]+(/password/new/[A-Za-z0-9_-]+)")
UNUSABLE = "This link no longer works"
CSRF = re.compile(r'value="[^"]{60,}"|"X-CSRFToken": "[^"]*"')


def deliver(now=None) -> None:
    """The worker: one round runs the reset job (which queues the email), the next sends it."""
    run_once(now=now)
    run_once(now=now)


def link_in(inbox, index: int = -1) -> str:
    message = inbox.received[index].message
    text = message.get_body(("plain",)).get_content()
    return LINK.search(text).group(1)


def audit(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def ask_for_reset(client, email: str, **kwargs):
    return client.post("/password/reset", data={"email": email}, **kwargs)


def choose(client, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post("/password/new", data={"new_password": password, "confirm_password": confirm or password})


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_the_sign_in_page_links_to_the_reset_page(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/reset"' in page and "Forgotten your password?" in page
    form = client.get("/password/reset").get_data(as_text=True)
    assert re.search(r'<label class="label ?" for="email">Email</label>', form)


def test_reset_end_to_end(app, client, as_user, mail_to):
    priya = UserFactory(email="priya.shah@example.nhs.uk")
    priya_id = priya.id
    elsewhere = as_user(priya)  # signed in on another device
    assert signed_in(elsewhere)
    response = ask_for_reset(client, "  Priya.Shah@Example.NHS.uk ")
    assert (response.status_code, response.headers["Location"]) == (303, "/password/reset/sent")
    assert "If priya.shah@example.nhs.uk has a Frontline account" in client.get("/password/reset/sent").get_data(
        as_text=True)
    deliver()
    mail_to.wait_for(1)
    received = mail_to.received[0]
    assert received.recipients == ["priya.shah@example.nhs.uk"]
    assert received.message["Subject"] == "Reset your Frontline password"
    link = link_in(mail_to)
    assert db.session.scalar(select(SignInToken.token_hash)) == hash_token(link.rsplit("/", 1)[1])

    browser = app.test_client()
    opened = browser.get(link)
    assert (opened.status_code, opened.headers["Location"]) == (302, "/password/new")  # the secret leaves the URL
    form = browser.get("/password/new").get_data(as_text=True)
    assert "Choose your password" in form and "priya.shah@example.nhs.uk" in form
    done = choose(browser)
    assert (done.status_code, done.headers["Location"]) == (303, "/")
    assert signed_in(browser)
    assert not signed_in(elsewhere)  # using the link ended every other session
    db.session.expire_all()
    assert verify_password(db.session.get(User, priya_id).password_hash, NEW_PASSWORD)
    assert [e.target_id for e in audit("auth.password_reset")] == [str(priya_id)]
    assert audit("auth.password_reset_requested")[0].details["outcome"] == "link_sent"

    again = app.test_client()
    assert again.get(link).status_code == 200 and UNUSABLE in again.get(link).get_data(as_text=True)
    assert UNUSABLE in again.get("/password/new").get_data(as_text=True)
    signing_in = again.post("/login", data={"email": "priya.shah@example.nhs.uk", "password": NEW_PASSWORD})
    assert signing_in.status_code == 303


def test_the_page_answers_the_same_whether_or_not_the_address_has_an_account(app, mail_to):
    UserFactory(email="priya.shah@example.nhs.uk")
    answers = []
    for address in ("priya.shah@example.nhs.uk", "nobody.here@example.nhs.uk"):
        client = app.test_client()
        response = ask_for_reset(client, address)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        page = CSRF.sub("", page.replace(address, "ADDRESS"))  # each session has its own token
        answers.append((response.status_code, response.headers["Location"], page))
    assert answers[0] == answers[1]
    deliver()
    mail_to.wait_for(1)
    assert [r.recipients for r in mail_to.received] == [["priya.shah@example.nhs.uk"]]
    outcomes = [e.details["outcome"] for e in audit("auth.password_reset_requested")]
    assert outcomes == ["link_sent", "nothing_sent"]


def test_a_link_expires(app, client, mail_to):
    UserFactory(email="priya.shah@example.nhs.uk")
    ask_for_reset(client, "priya.shah@example.nhs.uk")
    deliver()
    mail_to.wait_for(1)
    browser = app.test_client()
    assert "Choose your password" in browser.get(browser.get(link_in(mail_to)).headers["Location"]).get_data(
        as_text=True)
    # An hour and a minute later (the link is valid for 60 minutes): move the clock by moving the link's times back.
    token = db.session.scalar(select(SignInToken))
    token.created_at -= timedelta(minutes=61)
    token.expires_at -= timedelta(minutes=61)
    db.session.flush()
    assert token.expires_at < utcnow()
    assert UNUSABLE in browser.get("/password/new").get_data(as_text=True)
    browser = app.test_client()
    page = browser.get(link_in(mail_to)).get_data(as_text=True)
    assert UNUSABLE in page and 'href="/password/reset"' in page


@pytest.mark.parametrize("guess", ["x", "A" * 43, "A" * 500, "../../login"])
def test_a_guessed_link_opens_nothing(client, guess):
    UserFactory()
    response = client.get(f"/password/new/{guess}")
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert UNUSABLE in response.get_data(as_text=True)
    assert UNUSABLE in client.get("/password/new").get_data(as_text=True)
    assert choose(client).status_code == 200 and UNUSABLE in choose(client).get_data(as_text=True)


def test_a_password_that_breaks_the_rules_is_explained_and_the_link_still_works(app, client, mail_to):
    UserFactory(email="priya.shah@example.nhs.uk")
    ask_for_reset(client, "priya.shah@example.nhs.uk")
    deliver()
    mail_to.wait_for(1)
    browser = app.test_client()
    browser.get(link_in(mail_to))
    short = choose(browser, "short").get_data(as_text=True)
    assert 'id="new_password-error"' in short
    mismatch = choose(browser, NEW_PASSWORD, "another calm heron").get_data(as_text=True)
    assert "The two new passwords are not the same" in mismatch
    assert choose(browser).status_code == 303


def test_requests_are_limited_per_address_and_per_ip(app, configure):
    configure(PASSWORD_RESET_LIMIT_PER_ADDRESS="2 per hour", PASSWORD_RESET_LIMIT_PER_IP="4 per hour")
    one = app.test_client()
    assert [ask_for_reset(one, "priya@example.nhs.uk").status_code for _ in range(3)] == [303, 303, 429]
    other = app.test_client()  # another address cannot ask for Priya either
    assert ask_for_reset(other, "Priya@example.nhs.uk",
                         environ_base={"REMOTE_ADDR": "198.51.100.20"}).status_code == 429
    ip = {"environ_base": {"REMOTE_ADDR": "198.51.100.30"}}
    codes = [ask_for_reset(app.test_client(), f"person{n}@example.nhs.uk", **ip).status_code for n in range(5)]
    assert codes == [303, 303, 303, 303, 429]  # one address asking for many people's links is stopped
    assert ask_for_reset(app.test_client(), "mina@example.nhs.uk",
                         environ_base={"REMOTE_ADDR": "198.51.100.21"}).status_code == 303


def test_the_reset_form_needs_csrf_and_keeps_what_was_typed(client):
    assert client.post("/password/reset", data={"email": "priya@example.nhs.uk"}, csrf=False).status_code == 400
    page = ask_for_reset(client, "not an address").get_data(as_text=True)
    assert 'id="email-error"' in page and 'value="not an address"' in page
    too_long = ask_for_reset(client, "a" * 330 + "@example.nhs.uk").get_data(as_text=True)
    assert 'id="email-error"' in too_long


def test_someone_who_signs_in_with_the_directory_gets_advice_not_a_link(client, mail_to):
    UserFactory(email="dir@example.nhs.uk", password_hash=None, directory_id="5f0c7e0a-0000-4000-8000-00000000000a")
    ask_for_reset(client, "dir@example.nhs.uk")
    deliver()
    mail_to.wait_for(1)
    text = mail_to.received[0].message.get_body(("plain",)).get_content()
    assert "/password/new/" not in text and "IT service desk" in text


# --- invitations -------------------------------------------------------------------------------------------------

def test_an_administrator_adds_someone_who_is_invited_and_chooses_a_password(app, as_user, mail_to):
    unit = UnitFactory(name="PALS")
    admin = as_user(UserFactory(admin=True))
    response = admin.post("/admin/users/new", data={
        "display_name": "Priya Shah", "email": "priya.shah@example.nhs.uk", "unit_id": str(unit.id),
        "manager_email": "", "job_title": "", "staff_number": "", "roles": ["staff"], "invite": "y"})
    assert response.status_code == 303, response.get_data(as_text=True)
    priya = db.session.scalar(select(User).where(User.email == "priya.shah@example.nhs.uk"))
    assert priya.password_hash is None
    priya_id = priya.id
    page = admin.get(f"/admin/users/{priya_id}").get_data(as_text=True)
    assert "Not yet: invited" in page and "Send the invitation again" in page
    deliver()
    mail_to.wait_for(1)
    assert mail_to.received[0].message["Subject"] == "You have been invited to Frontline"
    first_link = link_in(mail_to)

    assert admin.post(f"/admin/users/{priya_id}/invite").status_code == 303  # sent again: the first link stops
    deliver()
    mail_to.wait_for(2)
    browser = app.test_client()
    assert UNUSABLE in browser.get(first_link).get_data(as_text=True)
    browser.get(link_in(mail_to))
    assert choose(browser).status_code == 303 and signed_in(browser)
    assert [e.target_id for e in audit("auth.invitation_sent")] == [str(priya_id)] * 2
    assert [e.target_id for e in audit("auth.invitation_accepted")] == [str(priya_id)]
    assert "With a Frontline password" in admin.get(f"/admin/users/{priya_id}").get_data(as_text=True)


def test_the_import_invites_the_new_people_when_asked(as_user, mail_to):
    admin = as_user(UserFactory(admin=True))
    header = "staff_number,email,name,unit,manager_email,roles"
    content = "\n".join([header, "1,amira@example.nhs.uk,Amira,Trust/PALS,,staff",
                         "2,tom@example.nhs.uk,Tom,Trust/PALS,amira@example.nhs.uk,staff"]) + "\n"
    response = admin.post("/admin/users/import/apply", data={"content": content, "invite": "yes",
                                                             "create_units": "yes"})  # Trust/PALS is new
    assert response.status_code == 303
    assert "2 invitations sent." in admin.get("/admin/users/import").get_data(as_text=True)
    deliver()
    mail_to.wait_for(2)
    assert sorted(r.recipients[0] for r in mail_to.received) == ["amira@example.nhs.uk", "tom@example.nhs.uk"]


def test_a_deactivated_person_is_not_invited(as_user):
    person = UserFactory(is_active_account=False, password_hash=None)
    admin = as_user(UserFactory(admin=True))
    response = admin.post(f"/admin/users/{person.id}/invite", follow_redirects=True)
    assert "Reactivate it before inviting them" in response.get_data(as_text=True)
    assert audit("auth.invitation_sent") == []


def test_only_administrators_invite(as_user):
    person = UserFactory(password_hash=None)
    assert as_user(UserFactory()).post(f"/admin/users/{person.id}/invite").status_code == 403


def test_the_old_password_keeps_working_until_the_link_is_used(client):
    UserFactory(email="priya.shah@example.nhs.uk")
    ask_for_reset(client, "priya.shah@example.nhs.uk")
    assert client.post("/login", data={"email": "priya.shah@example.nhs.uk",
                                       "password": DEFAULT_PASSWORD}).status_code == 303
