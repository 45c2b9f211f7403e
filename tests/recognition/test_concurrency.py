"""50 people press "Appreciate" on one thank-you at the same moment: the count is exactly 50. One person's "Send"
(or "Add your thanks") arriving eight times at once makes one thank-you (or comment) and tells people once.

Real commits, a database of its own, one connection per request thread (``committed`` marker). On PostgreSQL the
primary key and the row-locked ``count = count + 1`` keep it exact; on SQLite the write lock taken up front does.
"""

import threading
import uuid

import pytest
from sqlalchemy import func, select
from werkzeug.test import TestResponse as Response

from portal.auth.models import User
from portal.extensions import db
from portal.notifications.models import Notification, OutboundEmail
from portal.recognition.models import Appreciation, Comment, Post
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.recognition.factories import WORDS, thank, value_ids

pytestmark = pytest.mark.committed
PEOPLE = 50


def test_fifty_people_appreciate_at_once(committed_app):
    app = committed_app
    with app.app_context():
        post = thank(UserFactory(), UserFactory())
        people = [UserFactory() for _ in range(PEOPLE)]
        db.session.commit()
        post_id, people = post.id, [(p.id, p.get_id()) for p in people]

    start = threading.Barrier(PEOPLE)
    statuses: list[int] = []

    class Person:
        def __init__(self, user_id, session_id):
            self.id, self._session_id = user_id, session_id

        def get_id(self):
            return self._session_id

    def press(user_id: int, session_id: str) -> None:
        client = sign_in(app.test_client(), Person(user_id, session_id))
        start.wait()
        response = client.post(f"/thanks/{post_id}/appreciate", data={"appreciated": "1"},
                               headers={"HX-Request": "true"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=press, args=person, daemon=True) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert statuses == [200] * PEOPLE
    with app.app_context():
        assert db.session.scalar(select(Post.appreciation_count).where(Post.id == post_id)) == PEOPLE
        assert db.session.scalar(select(func.count()).select_from(Appreciation)
                                 .where(Appreciation.post_id == post_id)) == PEOPLE


# --- the same form sent from eight threads at once ---------------------------------------------------------------

def post_at_once(app, user_id: int, path: str, form: dict, times: int = 8) -> list:
    """``form`` posted to ``path`` by ``user_id`` from ``times`` threads (a client each), all released at once;
    the responses (or the exceptions raised), in thread order."""
    with app.app_context():
        clients = [sign_in(app.test_client(), db.session.get(User, user_id)) for _ in range(times)]
    start = threading.Barrier(times)
    responses: list = [None] * times

    def run(i: int) -> None:
        start.wait()
        try:
            responses[i] = clients[i].post(path, data=form)
        except Exception as error:  # noqa: BLE001 - recorded and asserted on below
            responses[i] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


def post_together(app, user_id: int, path: str, form: dict, times: int = 8) -> list:
    """``post_at_once``, where every click must land on the same page."""
    responses = post_at_once(app, user_id, path, form, times)
    assert [r.status_code if isinstance(r, Response) else r for r in responses] == [303] * times
    assert len({r.headers["Location"] for r in responses}) == 1  # every click lands on the same page
    return responses


def told(user_id: int) -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Notification)
                              .where(Notification.recipient_id == user_id)),
            db.session.scalar(select(func.count()).select_from(OutboundEmail)
                              .where(OutboundEmail.recipient_id == user_id)))


def test_a_thank_you_sent_from_eight_threads_at_once_is_sent_once(committed_app):
    app = committed_app
    with app.app_context():
        author, colleague = UserFactory(), UserFactory()
        db.session.commit()
        author_id, colleague_id = author.id, colleague.id
        form = {"to": [str(colleague_id)], "what_they_did": WORDS, "difference": "", "learning": "", "team": "",
                "values": [str(v) for v in value_ids("Listened")], "visibility": "public", "step": "send",
                "request_key": uuid.uuid4().hex}
    post_together(app, author_id, "/thanks/new", form)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post).where(Post.author_id == author_id)) == 1
        assert told(colleague_id) == (1, 1)


def test_a_comment_sent_from_eight_threads_at_once_is_added_once(committed_app):
    app = committed_app
    with app.app_context():
        colleague = UserFactory()
        post = thank(UserFactory(), colleague, visibility="public")
        commenter = UserFactory()
        db.session.commit()
        post_id, commenter_id, colleague_id = post.id, commenter.id, colleague.id
        before = told(colleague_id)
    post_together(app, commenter_id, f"/thanks/{post_id}/comments",
                  {"body": "Seconded. The whole team noticed.", "request_key": uuid.uuid4().hex})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.post_id == post_id)) == 1
        assert told(colleague_id) == (before[0] + 1, before[1])


def test_the_same_new_value_added_from_eight_threads_at_once_is_added_once_and_the_rest_are_told(committed_app):
    """The unique name is the database's to enforce: the losers get the form back with "already a value called",
    never a 500."""
    app = committed_app
    with app.app_context():
        hr = UserFactory(hr=True)
        db.session.commit()
        clients = [sign_in(app.test_client(), db.session.get(User, hr.id)) for _ in range(8)]
    name = f"Courage {uuid.uuid4().hex[:6]}"
    start = threading.Barrier(8)
    statuses: list = [None] * 8
    bodies: list = [""] * 8

    def run(i: int) -> None:
        start.wait()
        response = clients[i].post("/thanks/values", data={"name": name})
        statuses[i], bodies[i] = response.status_code, response.get_data(as_text=True)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses.count(303) == 1 and all(status in (303, 200, 409) for status in statuses), statuses
    assert all("There is already a value called" in body for status, body in zip(statuses, bodies, strict=True)
               if status != 303)
    with app.app_context():
        from portal.recognition.models import RecognitionValue

        assert db.session.scalar(select(func.count()).select_from(RecognitionValue)
                                 .where(RecognitionValue.name == name)) == 1


def test_a_report_sent_from_eight_threads_at_once_is_filed_once_and_the_rest_are_told(committed_app):
    """The check-then-insert lets two clicks through together; the open-report unique index lets one in."""
    from portal.recognition.models import Report

    app = committed_app
    with app.app_context():
        post = thank(UserFactory(), UserFactory(), visibility="public")
        reporter = UserFactory()
        db.session.commit()
        post_id, reporter_id = post.id, reporter.id
    responses = post_at_once(app, reporter_id, f"/thanks/{post_id}/report", {"reason": "Names a patient"})
    statuses = [r.status_code if isinstance(r, Response) else r for r in responses]
    busy = statuses.count(503) if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") else 0
    assert statuses.count(303) == 1 and statuses.count(200) == len(responses) - 1 - busy, statuses
    assert all("already reported this" in r.get_data(as_text=True) for r in responses if r.status_code == 200)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report).where(
            Report.post_id == post_id, Report.reporter_id == reporter_id)) == 1
