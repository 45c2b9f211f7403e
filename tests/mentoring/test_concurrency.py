"""A mentor with room for two answers six requests at once (each on its own connection): exactly two accepted,
four clear "no space" refusals, and the database count never passes the capacity."""

import threading

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.common.errors import Conflict
from portal.db import serialized_writes
from portal.extensions import db
from portal.mentoring.models import Mentoring, MentoringState, MentorLoad
from portal.mentoring.services import accept_request, request_mentor
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

    threads = [threading.Thread(target=accept, args=(i,)) for i in ids]
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
