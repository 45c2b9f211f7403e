"""A thank-you or a comment sent twice (a double click on "Send" with JavaScript off, a second tab, the back button)
is made once and tells people once: each form carries a key, made when the form is first shown, that travels with
every step of it. (The same form from many threads at once: test_concurrency.py.)"""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.notifications.models import Notification, OutboundEmail
from portal.recognition.models import Comment, Post
from tests.factories import UserFactory
from tests.recognition.factories import WORDS, thank, value_ids

pytestmark = pytest.mark.usefixtures("app_ctx")
KEY = re.compile(r'name="request_key"[^>]*value="([0-9a-f]{32})"')


def key_on(response) -> str:
    match = KEY.search(response.get_data(as_text=True))
    assert match, "the form carries no request_key"
    return match.group(1)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def told(person) -> tuple[int, int]:
    """(notifications, emails) for ``person``."""
    return (count(Notification, Notification.recipient_id == person.id),
            count(OutboundEmail, OutboundEmail.recipient_id == person.id))


def answers(colleague, key: str, step: str) -> dict:
    return {"to": [str(colleague.id)], "what_they_did": WORDS, "difference": "The caller was safe.",
            "values": [str(v) for v in value_ids("Listened")], "visibility": "public", "learning": "", "team": "",
            "request_key": key, "step": step}


def test_the_key_made_with_the_form_travels_through_check_and_change(as_user):
    colleague = UserFactory()
    client = as_user(UserFactory())
    key = key_on(client.get("/thanks/new"))
    assert key_on(client.get("/thanks/new")) != key  # a fresh form, a fresh key
    check = client.post("/thanks/new", data=answers(colleague, key, "check"))
    assert "Check your thank-you before sending" in check.get_data(as_text=True) and key_on(check) == key
    change = client.post("/thanks/new", data=answers(colleague, key, "change"))
    assert "Say thank you" in change.get_data(as_text=True) and key_on(change) == key


def test_send_pressed_twice_sends_one_thank_you_and_tells_people_once(as_user):
    manager = UserFactory()
    colleague = UserFactory(manager=manager)
    client = as_user(UserFactory())
    key = key_on(client.get("/thanks/new"))
    first = client.post("/thanks/new", data=answers(colleague, key, "send"))
    second = client.post("/thanks/new", data=answers(colleague, key, "send"))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Post) == 1
    assert told(colleague) == (1, 1) and told(manager) == (1, 0)  # the manager's comes in the digest


def test_change_after_sending_then_send_again_is_still_the_one_thank_you(as_user):
    """The back button to the check page, "Change", "Continue", "Send": the same form, so the same thank-you."""
    colleague = UserFactory()
    client = as_user(UserFactory())
    key = key_on(client.get("/thanks/new"))
    sent = client.post("/thanks/new", data=answers(colleague, key, "send"))
    key = key_on(client.post("/thanks/new", data=answers(colleague, key, "change")))
    again = client.post("/thanks/new", data=answers(colleague, key, "send"))
    assert again.headers["Location"] == sent.headers["Location"] and count(Post) == 1


def test_a_key_someone_else_used_is_refused_and_nothing_is_sent(as_user):
    colleague = UserFactory()
    first = as_user(UserFactory())
    key = key_on(first.get("/thanks/new"))
    assert first.post("/thanks/new", data=answers(colleague, key, "send")).status_code == 303
    copied = as_user(UserFactory()).post("/thanks/new", data=answers(colleague, key, "send"))
    page = copied.get_data(as_text=True)
    assert copied.status_code == 200 and "This form was already sent. Go back, reload the page" in page
    assert count(Post) == 1 and told(colleague) == (1, 1)


def test_add_your_thanks_pressed_twice_adds_one_comment_and_tells_people_once(as_user):
    colleague = UserFactory()
    post = thank(UserFactory(), colleague)
    before = told(colleague)
    client = as_user(UserFactory())
    key = key_on(client.get(f"/thanks/{post.id}"))
    form = {"body": "Seconded. The whole team noticed.", "request_key": key}
    first = client.post(f"/thanks/{post.id}/comments", data=form)
    second = client.post(f"/thanks/{post.id}/comments", data=form)
    assert first.status_code == second.status_code == 303
    assert count(Comment, Comment.post_id == post.id) == 1
    assert told(colleague) == (before[0] + 1, before[1])


def test_a_comment_key_someone_else_used_is_refused_and_nothing_is_added(as_user):
    post = thank(UserFactory(), UserFactory())
    first = as_user(UserFactory())
    key = key_on(first.get(f"/thanks/{post.id}"))
    assert first.post(f"/thanks/{post.id}/comments", data={"body": "Well done.", "request_key": key}).status_code == 303
    copied = as_user(UserFactory()).post(f"/thanks/{post.id}/comments", data={"body": "Me too.", "request_key": key})
    page = copied.get_data(as_text=True)
    assert copied.status_code == 200 and "This form was already sent. Go back, reload the page" in page
    assert db.session.scalars(select(Comment.body).where(Comment.post_id == post.id)).all() == ["Well done."]
