"""Ten supporters claim one request at the same moment, each on its own database connection: exactly one claim,
nine clear refusals naming who got there first, no errors. Runs on SQLite and PostgreSQL."""

import threading

import pytest

from portal.auth.models import User
from portal.common.errors import Conflict
from portal.db import serialized_writes
from portal.debriefs.models import DebriefRequest, DebriefState
from portal.debriefs.services import claim_request
from portal.extensions import db
from tests.debriefs.factories import ask, on_duty, tree
from tests.factories import UserFactory

pytestmark = pytest.mark.committed


def test_ten_supporters_claim_one_request_at_once(committed_app):
    app = committed_app
    with app.app_context():
        t = tree()
        supporter_ids = [on_duty(t.north, display_name=f"Racer {n}").id for n in range(10)]
        request_id = ask(UserFactory(unit=t.north)).id
        db.session.commit()
    start = threading.Barrier(10)
    outcomes: dict[int, str] = {}

    def claim(supporter_id: int) -> None:
        with app.app_context():
            start.wait()
            try:
                with serialized_writes():
                    request = db.session.get(DebriefRequest, request_id)
                    claim_request(request=request, supporter=db.session.get(User, supporter_id))
                    db.session.commit()
                outcomes[supporter_id] = "claimed"
            except Conflict as refusal:
                db.session.rollback()
                outcomes[supporter_id] = refusal.message
            except Exception as error:  # noqa: BLE001 — any other outcome is the failure we are looking for
                db.session.rollback()
                outcomes[supporter_id] = f"error: {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=claim, args=(sid,), daemon=True) for sid in supporter_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        request = db.session.get(DebriefRequest, request_id)
        winner = request.claimed_by.display_name
        assert request.state == DebriefState.CLAIMED
    assert len(outcomes) == 10
    assert list(outcomes.values()).count("claimed") == 1
    assert outcomes[request.claimed_by_id] == "claimed"
    refusals = [message for message in outcomes.values() if message != "claimed"]
    assert refusals == [f"Already claimed by {winner}."] * 9, outcomes
