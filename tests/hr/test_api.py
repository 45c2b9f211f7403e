"""The read-only API for HR systems and its tokens: made by HR (shown once, stored hashed), used, expired, revoked,
refused without the scope asked for; JSON in keyset pages and CSV; every read audited; rate-limited per token;
givers pseudonymised and private words withheld unless the token may have them — and never a confidential word."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.common.audit import AuditEvent
from portal.common.errors import DomainError
from portal.db import utcnow
from portal.extensions import db
from portal.hr.models import ApiToken, Scope
from portal.hr.services import create_token
from tests.debriefs.factories import CONTACT, NOTE, ask
from tests.factories import UserFactory
from tests.hr.factories import PRIVATE_WORDS, PUBLIC_WORDS, hr_token, org, read_csv, thank_at

pytestmark = pytest.mark.usefixtures("app_ctx")
API = "/hr/api/v1/recognition"


@pytest.fixture
def o():
    return org()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def audited(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_hr_makes_a_token_that_is_shown_once_and_stored_only_as_a_hash(as_user, o):
    client = as_user(o.hr)
    form = client.get("/hr/api-tokens/new")
    assert form.status_code == 200 and "Create an API token" in form.get_data(as_text=True)
    response = client.post("/hr/api-tokens/new", data={"name": "Payroll report", "scopes": ["recognition:read"],
                                                       "days": "90", "request_key": "k1"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    [secret] = [word.split('"')[0] for word in page.split('value="')[1:] if word.startswith("frontline_hr_")]
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Payroll report"))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in token.token_hash
    assert token.scope_set == {Scope.READ}
    assert timedelta(days=89) < token.expires_at - token.created_at <= timedelta(days=90)
    assert [e.details["name"] for e in audited("hr.token_created")] == ["Payroll report"]
    # The same form sent again (a double click) makes no second token and cannot show the secret again.
    again = client.post("/hr/api-tokens/new", data={"name": "Payroll report", "scopes": ["recognition:read"],
                                                    "days": "90", "request_key": "k1"})
    assert "That token was already created" in again.get_data(as_text=True) and secret not in again.get_data(
        as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(ApiToken)) == 1
    listing = client.get("/hr/api-tokens").get_data(as_text=True)
    assert "Payroll report" in listing and secret not in listing and "Active" in listing
    assert client.get(API, headers=bearer(secret)).status_code == 200


def test_the_token_form_keeps_what_was_typed_and_says_what_is_wrong(as_user, o):
    client = as_user(o.hr)
    response = client.post("/hr/api-tokens/new", data={"name": "x" * 81, "scopes": ["recognition:givers"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert "80 characters or fewer" in page and "A token must at least read recognition rows" in page
    assert "Choose when the token expires" in page and "x" * 81 in page
    assert db.session.scalars(select(ApiToken)).all() == []


def test_only_hr_manages_tokens(as_user, o):
    for person in (o.giver, UserFactory(admin=True)):
        client = as_user(person)
        assert client.get("/hr/api-tokens").status_code == 403
        assert client.post("/hr/api-tokens/new", data={"name": "Mine", "scopes": ["recognition:read"],
                                                       "days": "30"}).status_code == 403
    assert db.session.scalars(select(ApiToken)).all() == []


def test_a_live_token_reads_rows_and_each_read_is_audited(as_user, o):
    secret = hr_token(o)
    post = thank_at(o.giver, o.tom, o.sam, when="2025-03-14 10:00")
    response = as_user(o.giver).get(API, headers=bearer(secret), query_string={"from": "2025-03-01"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert [(row["recognition_id"], row["recipient"]) for row in body["rows"]] == [
        (f"T-{post.id}", "Tom Byrne"), (f"T-{post.id}", "Sam Okafor")]
    assert body["next"] is None
    [event] = audited("hr.api_read")
    assert (event.actor_id, event.details["rows"], event.details["format"], event.details["token"]) == (
        o.hr.id, 2, "json", "Payroll")
    assert event.details["filters"] == {"from": "2025-03-01", "pseudonymise": "1"}
    token = db.session.scalar(select(ApiToken))
    db.session.refresh(token)
    assert token.last_used_at is not None


def test_json_pages_follow_the_keyset_to_the_end_without_gaps_or_repeats(client, o):
    secret = hr_token(o)
    made = [thank_at(o.giver, o.tom, when=f"2025-03-{day:02d} 10:00") for day in range(1, 8)]
    made.append(thank_at(o.tom, o.sam, when="2025-03-07 10:00"))  # the same second as the one before it
    seen, url = [], API + "?limit=3"
    while url:
        body = client.get(url, headers=bearer(secret)).get_json()
        assert len(body["rows"]) <= 3
        seen += [row["recognition_id"] for row in body["rows"]]
        url = body["next"]
    assert seen == [f"T-{post.id}" for post in made]
    # A tampered cursor starts again at the top rather than failing.
    tampered = client.get(API, headers=bearer(secret), query_string={"after": "not-a-cursor", "limit": 2})
    assert tampered.status_code == 200 and len(tampered.get_json()["rows"]) == 2


def test_csv_through_the_api_is_the_export_file(client, o):
    secret = hr_token(o)
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    response = client.get(API + ".csv", headers=bearer(secret))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    [row] = read_csv(response.data)
    assert row["recipient"] == "Tom Byrne" and row["giver"].startswith("pseudonym-")
    assert [e.details["format"] for e in audited("hr.api_read")] == ["csv"]


def test_givers_are_pseudonymised_without_the_givers_scope(client, o):
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    plain = client.get(API, headers=bearer(hr_token(o))).get_json()["rows"][0]
    assert plain["giver"].startswith("pseudonym-") and plain["giver_staff_number"] is None
    named = client.get(API, headers=bearer(hr_token(o, Scope.GIVERS))).get_json()["rows"][0]
    assert (named["giver"], named["giver_staff_number"]) == ("Priya Shah", "100234")


def test_message_text_needs_its_scope_and_private_words_never_reach_a_system(client, o):
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    thank_at(o.sam, o.tom, when="2025-03-14 11:00", visibility="private", words=PRIVATE_WORDS)
    ask(o.tom, note=NOTE)
    db.session.commit()  # into the test's transaction: a refused request rolls back only its own work
    refused = client.get(API, headers=bearer(hr_token(o)), query_string={"message": "1"})
    assert refused.status_code == 403 and refused.get_json()["error"] == "insufficient_scope"
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    secret = hr_token(o, Scope.MESSAGES)
    rows = client.get(API, headers=bearer(secret), query_string={"message": "1"}).get_json()["rows"]
    assert [(row["message"] or "")[:20] for row in rows] == [PUBLIC_WORDS[:20], ""]
    assert rows[1]["message_withheld"] == "private"
    for path in (API, API + ".csv"):
        body = client.get(path, headers=bearer(secret), query_string={"message": "1"}).data
        for words in (PRIVATE_WORDS, NOTE, CONTACT):
            assert words.encode() not in body


def test_an_expired_token_is_refused(client, o):
    secret = hr_token(o)
    db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.get(API, headers=bearer(secret))
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert audited("hr.api_read") == []


def test_a_revoked_token_is_refused_from_the_next_request(as_user, o):
    secret = hr_token(o)
    token = db.session.scalar(select(ApiToken))
    client = as_user(UserFactory(hr=True, display_name="Asha Rao"))
    assert client.get(API, headers=bearer(secret)).status_code == 200
    assert "Any HR system using it is refused" in client.get(f"/hr/api-tokens/{token.id}/revoke").get_data(
        as_text=True)
    response = client.post(f"/hr/api-tokens/{token.id}/revoke", follow_redirects=True)
    assert "no longer works" in response.get_data(as_text=True)
    assert client.get(API, headers=bearer(secret)).status_code == 401
    assert client.get(API + ".csv", headers=bearer(secret)).status_code == 401
    assert [e.details["name"] for e in audited("hr.token_revoked")] == ["Payroll"]
    # A second revocation (another tab) is told who did it, and changes nothing.
    again = client.post(f"/hr/api-tokens/{token.id}/revoke", follow_redirects=True).get_data(as_text=True)
    assert "Already revoked by Asha Rao" in again
    assert len(audited("hr.token_revoked")) == 1
    assert "Revoked" in client.get("/hr/api-tokens").get_data(as_text=True)


def test_no_token_an_unknown_one_or_a_session_is_refused(as_user, client, o):
    hr_token(o)
    assert client.get(API).status_code == 401
    assert client.get(API, headers=bearer("frontline_hr_made-up")).status_code == 401
    assert client.get(API, headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401
    assert as_user(o.hr).get(API).status_code == 401  # an HR person's session is not a token
    assert client.get("/hr/api/v1/units").status_code == 401


def test_bad_filters_are_a_400_in_json(client, o):
    secret = hr_token(o)
    db.session.commit()  # into the test's transaction: a refused request rolls back only its own work
    for params in ({"from": "2025-02-30"}, {"unit": "999999"}, {"type": "gossip"},
                   {"from": "2025-03-02", "to": "2025-03-01"}):
        response = client.get(API, headers=bearer(secret), query_string=params)
        assert response.status_code == 400 and response.get_json()["error"] == "invalid_request", params


def test_the_unit_filter_and_the_unit_list(client, o):
    secret = hr_token(o)
    north = thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    thank_at(o.giver, o.ola, when="2025-03-14 11:00")
    rows = client.get(API, headers=bearer(secret), query_string={"unit": o.pals.id}).get_json()["rows"]
    assert [row["recognition_id"] for row in rows] == [f"T-{north.id}"]
    units = {unit["full_name"]: unit for unit in client.get("/hr/api/v1/units", headers=bearer(secret))
             .get_json()["units"]}
    assert units["Riverside Trust / PALS / North team"]["parent_id"] == o.pals.id


def test_each_token_is_rate_limited(app, client, o):
    before, app.config["HR_API_LIMIT"] = app.config.get("HR_API_LIMIT", "120 per minute"), "3 per minute"
    try:
        first, second = hr_token(o), hr_token(o)
        assert [client.get(API, headers=bearer(first)).status_code for _ in range(4)] == [200, 200, 200, 429]
        assert client.get(API, headers=bearer(second)).status_code == 200  # another token has its own allowance
    finally:
        app.config["HR_API_LIMIT"] = before


def test_tokens_expire_after_the_days_chosen_and_need_the_read_scope(o):
    token, secret = create_token(actor=o.hr, name="  Learning   system ", scopes={Scope.READ, Scope.MESSAGES},
                                 days=30)
    assert token.name == "Learning system" and secret.startswith("frontline_hr_")
    assert token.is_live() and not token.is_live(token.created_at + timedelta(days=30))
    for kwargs in ({"scopes": {Scope.GIVERS}, "days": 30}, {"scopes": {Scope.READ}, "days": 7}):
        with pytest.raises(DomainError):
            create_token(actor=o.hr, name="Other", **kwargs)
