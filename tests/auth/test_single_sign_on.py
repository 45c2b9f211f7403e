"""Single sign-on through a header set by a trusted reverse proxy: believed only from TRUSTED_PROXIES, ignored and
audit-logged from anyone else, and off unless configured."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.auth.models import User
from portal.common.audit import AuditEvent
from portal.config import ConfigError
from portal.extensions import db
from tests.auth.conftest import TRUST
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")
PROXY = "10.0.0.5"
STRANGER = "203.0.113.9"
HEADER = "X-Remote-User"


def from_(address: str, identity: str | None) -> dict:
    """Request arguments: a request that reached Frontline from ``address`` carrying the header (when given)."""
    return {"environ_base": {"REMOTE_ADDR": address}, "headers": {HEADER: identity} if identity else {}}


def events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def signed_in(client, address: str, identity: str | None) -> bool:
    return client.get("/", **from_(address, identity)).status_code == 200


@pytest.fixture
def sso(configure):
    configure(TRUSTED_HEADER=HEADER, TRUSTED_PROXIES=f"{PROXY} 192.0.2.0/28")


def test_off_by_default_the_header_is_ignored_and_nothing_is_logged(client):
    person = UserFactory()
    response = client.get("/", **from_(PROXY, person.email))
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/login", **from_(PROXY, person.email)).status_code == 200  # the sign-in form, no redirect
    assert client.get("/login/sso", **from_(PROXY, person.email)).headers["Location"] == "/login"
    assert events("auth.signed_in") == [] and events("auth.trusted_header_ignored") == []


def test_the_proxy_signs_the_person_in_and_it_is_audited(sso, client):
    person = UserFactory(email="priya.shah@example.nhs.uk")
    response = client.get("/account/password", **from_(PROXY, "Priya.Shah@example.nhs.uk"))
    assert response.status_code == 302 and response.headers["Location"] == "/login/sso?next=/account/password"
    response = client.get(response.headers["Location"], **from_(PROXY, "Priya.Shah@example.nhs.uk"))
    assert (response.status_code, response.headers["Location"]) == (303, "/account/password")
    assert signed_in(client, PROXY, "priya.shah@example.nhs.uk")
    [event] = events("auth.signed_in")
    assert (event.target_id, event.details, event.ip) == (str(person.id), {"method": "trusted_header"}, PROXY)


def test_an_address_in_a_trusted_network_is_trusted(sso, client):
    UserFactory(email="priya.shah@example.nhs.uk")
    client.get("/login/sso", **from_("192.0.2.14", "priya.shah@example.nhs.uk"))
    assert signed_in(client, "192.0.2.14", "priya.shah@example.nhs.uk")


@pytest.mark.parametrize("stranger", [STRANGER, "10.0.0.6", "192.0.2.16", "::1"])
def test_the_header_from_anyone_else_is_ignored_and_audited(sso, client, stranger):
    person = UserFactory(email="priya.shah@example.nhs.uk")
    response = client.get("/login/sso", **from_(stranger, person.email))
    assert response.headers["Location"] == "/login"
    assert not signed_in(client, stranger, person.email)
    assert events("auth.signed_in") == []
    [ignored] = events("auth.trusted_header_ignored")
    assert ignored.details == {"header": HEADER, "value": person.email, "peer": stranger}
    # The sign-in form is shown (not a loop back to /login/sso), and the same header is not audited again.
    page = client.get("/login", **from_(stranger, person.email))
    assert page.status_code == 200 and 'name="password"' in page.get_data(as_text=True)
    assert len(events("auth.trusted_header_ignored")) == 1


def test_a_forwarded_for_header_does_not_make_a_stranger_the_proxy(sso, app, client, monkeypatch):
    """Behind ProxyFix (PROXY_FIX_X_FOR) request.remote_addr is the client's claimed address; the proxy check uses
    the address that really connected."""
    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1))
    person = UserFactory(email="priya.shah@example.nhs.uk")
    arguments = from_(STRANGER, person.email)
    arguments["headers"]["X-Forwarded-For"] = PROXY
    client.get("/login/sso", **arguments)
    assert not signed_in(client, STRANGER, person.email)
    [ignored] = events("auth.trusted_header_ignored")
    assert ignored.details["peer"] == STRANGER


def test_someone_without_an_account_is_told_and_can_use_the_form(sso, client):
    response = client.get("/login/sso", **from_(PROXY, "nobody@example.nhs.uk"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "sign in with your email and password instead" in page
    [failure] = events("auth.sign_in_failed")
    assert failure.details == {"reason": "no_account", "method": "trusted_header", "email_domain": "example.nhs.uk"}
    # Not tried again on every page: the sign-in form is shown.
    assert client.get("/login", **from_(PROXY, "nobody@example.nhs.uk")).status_code == 200


def test_a_deactivated_account_is_refused(sso, client):
    person = UserFactory(is_active_account=False)
    client.get("/login/sso", **from_(PROXY, person.email))
    assert not signed_in(client, PROXY, person.email)
    assert events("auth.sign_in_failed")[-1].details["reason"] == "deactivated"


def test_when_the_proxy_vouches_for_someone_else_the_session_ends(sso, client):
    first, second = UserFactory(), UserFactory()
    client.get("/login/sso", **from_(PROXY, first.email))
    assert signed_in(client, PROXY, first.email)
    response = client.get("/", **from_(PROXY, second.email))
    assert response.status_code == 302  # not the first person's page: their session is over
    client.get(response.headers["Location"], **from_(PROXY, second.email))
    assert client.get("/account/password", **from_(PROXY, second.email)).status_code == 200
    assert [e.target_id for e in events("auth.signed_in")] == [str(first.id), str(second.id)]


def test_with_a_directory_the_user_name_is_looked_up_and_the_account_made(sso, directory, client):
    client.get("/login/sso", **from_(PROXY, "tom"))
    assert signed_in(client, PROXY, "tom")
    tom = db.session.scalar(select(User).where(User.email == "tom.okafor@example.nhs.uk"))
    assert tom.display_name == "Tom Okafor" and tom.unit.name == "PALS" and tom.directory_id
    assert db.session.get(type(tom.unit), tom.unit.parent_id).name == TRUST
    assert events("auth.signed_in")[-1].details == {"method": "trusted_header"}


def test_a_person_disabled_in_the_directory_is_refused(sso, directory, client):
    client.get("/login/sso", **from_(PROXY, "left"))
    assert not signed_in(client, PROXY, "left")
    assert events("auth.sign_in_failed")[-1].details["reason"] == "directory_disabled"


@pytest.mark.parametrize(("settings", "problem"), [
    ({"TRUSTED_HEADER": HEADER}, "TRUSTED_PROXIES must list"),
    ({"TRUSTED_HEADER": HEADER, "TRUSTED_PROXIES": "proxy.example.org"}, "is not an IP address"),
])
def test_a_header_without_proxies_stops_frontline_at_start_up(settings, problem):
    from portal.auth.directory_settings import check_settings

    with pytest.raises(ConfigError, match=problem):
        check_settings(settings)


def test_visits_that_sign_nobody_in_are_limited_per_ip(sso, app, configure):
    configure(LOGIN_LIMIT_PER_IP="3 per 15 minutes")
    codes = [app.test_client().get("/login/sso", **from_(STRANGER, "someone@example.nhs.uk")).status_code
             for _ in range(4)]
    assert codes == [303, 303, 303, 429]
    assert len(events("auth.trusted_header_ignored")) == 3
    person = UserFactory()
    assert app.test_client().get("/login/sso", **from_(PROXY, person.email)).status_code == 303  # another address
