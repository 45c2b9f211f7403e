"""Twenty panel members decide one nomination at the same moment, on separate connections: exactly one decision
is recorded and the other nineteen are told, by name, who decided. No exception, no 500.

Runs on SQLite (BEGIN IMMEDIATE through serialized_writes) and on PostgreSQL (the conditional UPDATE waits for
the winner's row lock, then finds the state changed).
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from portal.awards.models import Nomination, NominationState, NominationStateChange
from portal.awards.services import decide_nomination
from portal.common.audit import AuditEvent
from portal.common.errors import InvalidTransition
from portal.db import serialized_writes
from portal.extensions import db
from tests.awards.factories import make_scheme, nominate, panel_member
from tests.conftest import sign_in

pytestmark = pytest.mark.committed
PANEL_SIZE = 20


def setup_nomination(app) -> tuple[int, list[int], dict[int, str]]:
    with app.app_context():
        members = [panel_member(display_name=f"Panel member {n:02d}") for n in range(PANEL_SIZE)]
        nomination = nominate(make_scheme(panel=members, consent=False))
        db.session.commit()
        return nomination.id, [m.id for m in members], {m.id: m.display_name for m in members}


def run_together(work, ids: list[int]) -> None:
    barrier = threading.Barrier(len(ids))
    threads = [threading.Thread(target=work, args=(barrier, member_id)) for member_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)


def check_one_decision(app, nomination_id: int) -> str:
    with app.app_context():
        nomination = db.session.get(Nomination, nomination_id)
        assert nomination.state == NominationState.AWARDED
        decisions = db.session.scalar(select(func.count()).select_from(NominationStateChange).where(
            NominationStateChange.nomination_id == nomination_id, NominationStateChange.to_state == "awarded"))
        audits = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "awards.decided", AuditEvent.target_id == str(nomination_id)))
        assert decisions == 1 and audits == 1
        return nomination.decided_by.display_name


def test_twenty_panel_members_deciding_at_once_record_one_decision(committed_app):
    app = committed_app
    nomination_id, member_ids, _names = setup_nomination(app)
    outcomes: dict[int, str] = {}
    errors: list[BaseException] = []

    def decide(barrier: threading.Barrier, member_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                with serialized_writes():
                    from portal.auth.models import User

                    member = db.session.get(User, member_id)
                    nomination = db.session.get(Nomination, nomination_id)
                    try:
                        decide_nomination(nomination=nomination, panel_member=member,
                                          outcome=NominationState.AWARDED, reason="Outstanding care.")
                    except InvalidTransition as refusal:
                        db.session.rollback()
                        outcomes[member_id] = refusal.message
                    else:
                        db.session.commit()
                        outcomes[member_id] = "decided"
            except BaseException as error:  # noqa: BLE001 — any exception fails the test below
                errors.append(error)
            finally:
                db.session.remove()

    run_together(decide, member_ids)
    assert errors == []
    winner = check_one_decision(app, nomination_id)
    assert list(outcomes.values()).count("decided") == 1
    refusals = [message for message in outcomes.values() if message != "decided"]
    assert len(refusals) == PANEL_SIZE - 1
    assert all(message.startswith(f"Already decided by {winner} on ") for message in refusals), refusals


def test_twenty_panel_members_posting_the_decide_form_at_once_get_no_500(committed_app):
    app = committed_app
    nomination_id, member_ids, _names = setup_nomination(app)
    statuses: dict[int, tuple[int, str]] = {}

    def post(barrier: threading.Barrier, member_id: int) -> None:
        with app.app_context():
            from portal.auth.models import User

            client = sign_in(app.test_client(), db.session.get(User, member_id))
            token = client.csrf_token()
            db.session.remove()
        barrier.wait()
        response = client.post(f"/awards/panel/nominations/{nomination_id}/decide", csrf=False,
                               data={"outcome": "awarded", "reason": "Outstanding care.", "csrf_token": token})
        page = client.get(f"/awards/panel/nominations/{nomination_id}").get_data(as_text=True)
        statuses[member_id] = (response.status_code, page)

    run_together(post, member_ids)
    winner = check_one_decision(app, nomination_id)
    assert {status for status, _page in statuses.values()} == {303}
    refused = [page for _status, page in statuses.values() if "Already decided by" in page]
    assert len(refused) == PANEL_SIZE - 1
    assert all(f"Already decided by {winner} on " in page for page in refused)
