"""The audit log records who did what, and the database refuses to rewrite it."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DatabaseError

from portal.common.audit import AuditEvent, record_event
from portal.extensions import db
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_record_event_outside_a_request():
    actor = UserFactory()
    unit = UnitFactory(name="North team")
    event = record_event("unit.renamed", actor=actor, target=unit, old_name="North", name="North team", note=None)
    db.session.flush()
    assert (event.actor_id, event.target_type, event.target_id) == (actor.id, "unit", str(unit.id))
    assert event.details == {"old_name": "North", "name": "North team"}  # None values are left out
    assert event.ip is None
    assert event.occurred_at.tzinfo is not None


def test_record_event_in_a_request_keeps_the_address(app):
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "198.51.100.4"}):
        event = record_event("auth.sign_in_failed", target_type="user_account", target_id=7, reason="no_account")
        db.session.flush()
    assert (event.ip, event.target_id, event.actor_id) == ("198.51.100.4", "7", None)


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(action="rewritten"),
    delete(AuditEvent),
], ids=["update", "delete"])
def test_the_database_refuses_to_change_the_log(statement):
    record_event("user.created", details_note="kept")
    db.session.flush()
    with pytest.raises(DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(statement)
    assert db.session.scalars(select(AuditEvent.action)).all() == ["user.created"]
