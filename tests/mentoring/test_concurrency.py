"""A mentor with room for two answers six requests at once (each on its own connection): exactly two accepted,
four clear "no space" refusals, and the database count never passes the capacity. One mentee's request sent eight
times at once asks once."""

import threading
import uuid

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.common.errors import Conflict
from portal.db import serialized_writes
from portal.extensions import db
from portal.mentoring.models import Mentoring, MentoringState, MentorLoad
from portal.mentoring.services import accept_request, request_mentor
from portal.notifications.models import Notification
from tests.conftest import CSRFClient, sign_in
from tests.factories import UserFactory
from tests.mentoring.factories import GOALS, mentor

pytestmark = pytest.mark.committed


def test_capacity_holds_when_six_requests_are_accepted_at_once(committed_app):
    app = committed_app
    with app.app_context():
        m = mentor(capacity=2)
        mentor_id = m.id
        ids = [request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS).id for _ in range(6)]
        db.session.commit()
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def accept(mentoring_id: int) -> None:
        with app.app_context():
            start.wait()
            try:
                with serialized_writes():
                    accept_request(mentoring=db.session.get(Mentoring, mentoring_id),
                                   mentor=db.session.get(User, mentor_id))
                    db.session.commit()
                outcomes.append("accepted")
            except Conflict as refusal:
                db.session.rollback()
                outcomes.append(refusal.message)
            except Exception as error:  # noqa: BLE001 — any other outcome is the failure we are looking for
                db.session.rollback()
                outcomes.append(f"error: {error!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(i,), daemon=True) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("accepted") == 2, outcomes
    assert [o for o in outcomes if o != "accepted"] == [
        "You have no space for another mentee. End a mentoring agreement, or raise your capacity in your "
        "supporter profile, first."] * 4
    with app.app_context():
        assert db.session.get(MentorLoad, mentor_id).active_mentees == 2
        accepted = db.session.scalar(select(func.count()).select_from(Mentoring).where(
            Mentoring.mentor_id == mentor_id, Mentoring.state == MentoringState.ACCEPTED))
        assert accepted == 2


def test_a_request_sent_from_eight_threads_at_once_asks_once(committed_app):
    """One mentee's "Send request" arriving eight times at once (a double click, two tabs) on separate connections:
    one request, the mentor told once, and every click lands on that request."""
    app = committed_app
    with app.app_context():
        m, mentee = mentor(), UserFactory()
        db.session.commit()
        mentor_id, mentee_id = m.id, mentee.id
        clients = [sign_in(CSRFClient(app, app.response_class), mentee) for _ in range(8)]
    path, form = f"/mentoring/mentors/{mentor_id}/ask", {"goals": GOALS, "request_key": uuid.uuid4().hex}
    tokens = [client.csrf_token() for client in clients]
    start = threading.Barrier(8)
    responses: list = [None] * 8

    def ask(i: int) -> None:
        start.wait()
        try:
            responses[i] = clients[i].post(path, data={**form, "csrf_token": tokens[i]})
        except Exception as error:  # noqa: BLE001 - recorded and asserted on below
            responses[i] = error

    threads = [threading.Thread(target=ask, args=(i,), daemon=True) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [getattr(r, "status_code", r) for r in responses] == [303] * 8
    assert len({r.headers["Location"] for r in responses}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Mentoring)
                                 .where(Mentoring.mentee_id == mentee_id)) == 1
        assert db.session.scalar(select(func.count()).select_from(Notification)
                                 .where(Notification.recipient_id == mentor_id)) == 1
