"""A nomination or a new award scheme sent twice (a double click with JavaScript off, a second tab, the back button)
is made once and tells people once: each form carries a key, made when the form is first shown, that comes back with
it, also through "send this nomination as well". (The same form from many threads at once: test_concurrency.py.)"""

import re

import pytest
from sqlalchemy import func, select

from portal.awards.models import AwardScheme, Nomination
from portal.common.audit import AuditEvent
from portal.extensions import db
from portal.notifications.models import Job, Notification, OutboundEmail
from tests.awards.factories import ANSWER, make_scheme, nominate, panel_member
from tests.awards.test_views import scheme_form
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")
KEY = re.compile(r'name="request_key"[^>]*value="([0-9a-f]{32})"')
ALREADY_SENT = "This form was already sent. Go back, reload the page"


def key_on(response) -> str:
    match = KEY.search(response.get_data(as_text=True))
    assert match, "the form carries no request_key"
    return match.group(1)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def nomination_form(nominee, key: str, **overrides) -> dict:
    return {"nominee_kind": "person", "person": str(nominee.id), "answer_0": ANSWER, "answer_1": ANSWER,
            "request_key": key, **overrides}


def test_send_nomination_pressed_twice_sends_one_and_tells_the_nominee_once(as_user):
    scheme, nominee = make_scheme(), UserFactory()
    client = as_user(UserFactory())
    key = key_on(client.get(f"/awards/schemes/{scheme.id}/nominate"))
    first = client.post(f"/awards/schemes/{scheme.id}/nominate", data=nomination_form(nominee, key))
    second = client.post(f"/awards/schemes/{scheme.id}/nominate", data=nomination_form(nominee, key))
    assert first.status_code == second.status_code == 303  # not "You have nominated them before"
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Nomination) == 1
    assert count(Notification, Notification.recipient_id == nominee.id) == 1
    assert count(OutboundEmail, OutboundEmail.recipient_id == nominee.id) == 1


def test_send_this_nomination_as_well_keeps_the_key_and_pressed_twice_sends_one_more(as_user):
    scheme, nominee, nominator = make_scheme(), UserFactory(), UserFactory()
    earlier = nominate(scheme, nominator=nominator, nominee=nominee)
    client = as_user(nominator)
    key = key_on(client.get(f"/awards/schemes/{scheme.id}/nominate"))
    asked = client.post(f"/awards/schemes/{scheme.id}/nominate", data=nomination_form(nominee, key))
    assert "You have nominated them before" in asked.get_data(as_text=True) and key_on(asked) == key
    again = nomination_form(nominee, key, send_anyway="Send this nomination as well")
    first = client.post(f"/awards/schemes/{scheme.id}/nominate", data=again)
    second = client.post(f"/awards/schemes/{scheme.id}/nominate", data=again)
    assert first.headers["Location"] == second.headers["Location"] != f"/awards/nominations/{earlier.id}"
    assert count(Nomination) == 2


def test_a_nomination_key_someone_else_used_is_refused_and_nothing_is_sent(as_user):
    scheme, nominee = make_scheme(), UserFactory()
    first = as_user(UserFactory())
    key = key_on(first.get(f"/awards/schemes/{scheme.id}/nominate"))
    assert first.post(f"/awards/schemes/{scheme.id}/nominate", data=nomination_form(nominee, key)).status_code == 303
    copied = as_user(UserFactory()).post(f"/awards/schemes/{scheme.id}/nominate", data=nomination_form(nominee, key))
    assert copied.status_code == 200 and ALREADY_SENT in copied.get_data(as_text=True)
    assert count(Nomination) == 1 and count(Notification, Notification.recipient_id == nominee.id) == 1


def test_create_scheme_pressed_twice_creates_one_scheme_with_one_set_of_reminders(as_user):
    member = panel_member()
    client = as_user(UserFactory(hr=True))
    key = key_on(client.get("/awards/schemes/new"))
    first = client.post("/awards/schemes/new", data={**scheme_form(member.id), "request_key": key})
    second = client.post("/awards/schemes/new", data={**scheme_form(member.id), "request_key": key})
    assert first.status_code == second.status_code == 303
    scheme = db.session.scalars(select(AwardScheme)).one()
    assert count(Job, Job.dedupe_key.like(f"awards:scheme:{scheme.id}:%")) == 2  # the reminder and the escalation
    assert count(AuditEvent, AuditEvent.action == "awards.scheme_created") == 1


def test_a_scheme_key_someone_else_used_is_refused_and_nothing_is_created(as_user):
    member = panel_member()
    first = as_user(UserFactory(hr=True))
    key = key_on(first.get("/awards/schemes/new"))
    assert first.post("/awards/schemes/new", data={**scheme_form(member.id), "request_key": key}).status_code == 303
    copied = as_user(UserFactory(hr=True)).post("/awards/schemes/new",
                                                data={**scheme_form(member.id, name="Copied"), "request_key": key})
    assert copied.status_code == 200 and ALREADY_SENT in copied.get_data(as_text=True)
    assert db.session.scalars(select(AwardScheme.name)).all() == ["Patient Experience Awards 2026"]

