"""Pages that audit a confidential read write as they read: many people (or one person's many tabs) opening them
at the same moment all get their page, on SQLite's single write lock too — never a 500.

Real concurrent requests: 24 threads, each with its own client, connection and session, released together against
committed data.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from portal.common.audit import AuditEvent
from portal.extensions import db
from tests.debriefs.route_objects import debrief_request
from tests.mentoring.route_objects import accepted_mentoring
from tests.support.route_objects import booking as booking_object

pytestmark = pytest.mark.committed
READERS = 24


def read_at_once(app, session_id: str, url: str) -> list[int]:
    clients = []
    for _ in range(READERS):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        clients.append(client)
    start = threading.Barrier(READERS)
    statuses: list[int] = [0] * READERS

    def read(i: int) -> None:
        start.wait()
        statuses[i] = clients[i].get(url).status_code

    threads = [threading.Thread(target=read, args=(i,), daemon=True) for i in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


@pytest.mark.parametrize(("build", "path", "action"), [
    (booking_object, "/support/bookings/{}", "support.confidential_read"),
    (debrief_request, "/debriefs/{}", "debrief.read"),
    (accepted_mentoring, "/mentoring/{}", "mentoring.read"),
], ids=["booking", "debrief", "mentoring"])
def test_many_reads_of_an_audited_page_at_once_all_succeed_and_are_all_audited(separate_app, build, path, action):
    app = separate_app()
    with app.app_context():
        made = build()
        db.session.flush()
        url, session_id = path.format(made.obj.id), made.owner.get_id()
        db.session.commit()
    assert read_at_once(app, session_id, url) == [200] * READERS
    with app.app_context():
        audited = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))
    assert audited == READERS

