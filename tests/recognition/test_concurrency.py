"""50 people press "Appreciate" on one thank-you at the same moment: the count is exactly 50.

Real commits, a database of its own, one connection per request thread (``committed`` marker). On PostgreSQL the
primary key and the row-locked ``count = count + 1`` keep it exact; on SQLite the write lock taken up front does.
"""

import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.recognition.models import Appreciation, Post
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.recognition.factories import thank

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

    threads = [threading.Thread(target=press, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert statuses == [200] * PEOPLE
    with app.app_context():
        assert db.session.scalar(select(Post.appreciation_count).where(Post.id == post_id)) == PEOPLE
        assert db.session.scalar(select(func.count()).select_from(Appreciation)
                                 .where(Appreciation.post_id == post_id)) == PEOPLE
