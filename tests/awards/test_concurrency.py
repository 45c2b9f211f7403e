"""Twenty panel members decide one nomination at the same moment, on separate connections: exactly one decision
is recorded and the other nineteen are told, by name, who decided. No exception, no 500.

Runs on SQLite (BEGIN IMMEDIATE: the service-level test takes it with serialized_writes, as the worker does; the
form posts get it from the request's unit of work, which takes it up front for every POST) and on PostgreSQL (the
conditional UPDATE waits for the winner's row lock, then finds the state changed).

One person's nomination (or new scheme) arriving eight times at once is made once: on PostgreSQL the unique form key
refuses all but the first, and each of the others finds and returns it.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from portal.awards.models import AwardScheme, Nomination, NominationState, NominationStateChange
from portal.awards.services import decide_nomination
from portal.common.audit import AuditEvent
from portal.common.errors import InvalidTransition
from portal.db import serialized_writes
from portal.extensions import db
from portal.notifications.models import Notification
from tests.awards.factories import ANSWER, make_scheme, nominate, panel_member
from tests.awards.test_views import scheme_form
from tests.conftest import sign_in
from tests.factories import UserFactory

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
    threads = [threading.Thread(target=work, args=(barrier, member_id), daemon=True) for member_id in ids]
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


# --- the same form sent from eight threads at once ---------------------------------------------------------------

def post_together(app, user_id: int, path: str, form: dict, times: int = 8) -> None:
    """``form`` posted to ``path`` by ``user_id`` from ``times`` threads (a client each, with its own CSRF token),
    all released at once: every one of them lands on the same page."""
    from portal.auth.models import User

    with app.app_context():
        clients = [sign_in(app.test_client(), db.session.get(User, user_id)) for _ in range(times)]
        db.session.remove()
    tokens = [client.csrf_token() for client in clients]
    responses: list = [None] * times

    def post(barrier: threading.Barrier, i: int) -> None:
        barrier.wait()
        try:
            responses[i] = clients[i].post(path, data={**form, "csrf_token": tokens[i]})
        except Exception as error:  # noqa: BLE001 - recorded and asserted on below
            responses[i] = error

    run_together(post, list(range(times)))
    assert [getattr(r, "status_code", r) for r in responses] == [303] * times
    assert len({r.headers["Location"] for r in responses}) == 1


def test_a_nomination_sent_from_eight_threads_at_once_is_sent_once(committed_app):
    app = committed_app
    with app.app_context():
        scheme, nominator, nominee = make_scheme(), UserFactory(), UserFactory()
        db.session.commit()
        scheme_id, nominator_id, nominee_id = scheme.id, nominator.id, nominee.id
    form = {"nominee_kind": "person", "person": str(nominee_id), "answer_0": ANSWER, "answer_1": ANSWER,
            "request_key": uuid.uuid4().hex}
    post_together(app, nominator_id, f"/awards/schemes/{scheme_id}/nominate", form)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Nomination)
                                 .where(Nomination.nominator_id == nominator_id)) == 1
        assert db.session.scalar(select(func.count()).select_from(Notification)
                                 .where(Notification.recipient_id == nominee_id)) == 1


def test_a_scheme_created_from_eight_threads_at_once_is_created_once(committed_app):
    app = committed_app
    with app.app_context():
        member, hr = panel_member(), UserFactory(hr=True)
        db.session.commit()
        member_id, hr_id = member.id, hr.id
    post_together(app, hr_id, "/awards/schemes/new", {**scheme_form(member_id), "request_key": uuid.uuid4().hex})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AwardScheme)
                                 .where(AwardScheme.created_by_id == hr_id)) == 1
