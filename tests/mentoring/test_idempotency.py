"""A mentoring request sent twice (a double click with JavaScript off, a second tab, the back button) is made once
and tells the mentor once: the form carries a key, made when it is first shown. (The same form from many threads at
once: test_concurrency.py.)"""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.mentoring.models import Mentoring
from portal.mentoring.services import decline_request
from portal.notifications.models import Notification, OutboundEmail
from tests.factories import UserFactory
from tests.mentoring.factories import GOALS, mentor

pytestmark = pytest.mark.usefixtures("app_ctx")
KEY = re.compile(r'name="request_key"[^>]*value="([0-9a-f]{32})"')


def key_on(response) -> str:
    match = KEY.search(response.get_data(as_text=True))
    assert match, "the form carries no request_key"
    return match.group(1)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def told(person) -> tuple[int, int]:
    return (count(Notification, Notification.recipient_id == person.id),
            count(OutboundEmail, OutboundEmail.recipient_id == person.id))


def test_send_request_pressed_twice_asks_once_and_lands_on_the_request(as_user):
    m = mentor()
    client = as_user(UserFactory())
    key = key_on(client.get(f"/mentoring/mentors/{m.id}/ask"))
    first = client.post(f"/mentoring/mentors/{m.id}/ask", data={"goals": GOALS, "request_key": key})
    second = client.post(f"/mentoring/mentors/{m.id}/ask", data={"goals": GOALS, "request_key": key})
    assert first.status_code == second.status_code == 303  # not "You have already asked"
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Mentoring, Mentoring.mentor_id == m.id) == 1 and told(m) == (1, 1)


def test_the_same_form_sent_again_after_a_decline_asks_nobody_again(as_user):
    m = mentor()
    client = as_user(UserFactory())
    form = {"goals": GOALS, "request_key": key_on(client.get(f"/mentoring/mentors/{m.id}/ask"))}
    sent = client.post(f"/mentoring/mentors/{m.id}/ask", data=form)
    decline_request(mentoring=db.session.scalars(select(Mentoring)).one(), mentor=m)
    again = client.post(f"/mentoring/mentors/{m.id}/ask", data=form)
    assert again.status_code == 303 and again.headers["Location"] == sent.headers["Location"]
    assert count(Mentoring, Mentoring.mentor_id == m.id) == 1 and told(m) == (1, 1)


def test_a_key_someone_else_used_is_refused_and_nobody_is_asked(as_user):
    m = mentor()
    first = as_user(UserFactory())
    key = key_on(first.get(f"/mentoring/mentors/{m.id}/ask"))
    assert first.post(f"/mentoring/mentors/{m.id}/ask", data={"goals": GOALS, "request_key": key}).status_code == 303
    copied = as_user(UserFactory()).post(f"/mentoring/mentors/{m.id}/ask", data={"goals": GOALS, "request_key": key})
    page = copied.get_data(as_text=True)
    assert copied.status_code == 200 and "This form was already sent. Go back, reload the page and ask again." in page
    assert count(Mentoring, Mentoring.mentor_id == m.id) == 1 and told(m) == (1, 1)
