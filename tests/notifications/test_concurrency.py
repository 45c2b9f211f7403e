"""Workers on separate database connections and processes: nothing sent twice, nothing lost.

These commit for real (``committed`` marker), in a database of their own. On PostgreSQL the claim uses
FOR UPDATE SKIP LOCKED; on SQLite the single-writer lock and the conditional claim do the same job.
"""

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import EmailStatus, OutboundEmail
from portal.notifications.services import notify
from portal.notifications.worker import WorkerSettings, run_once
from tests.databases import on_postgres
from tests.factories import UserFactory
from tests.mail import Inbox, SmtpServer

pytestmark = pytest.mark.committed
ROOT = Path(__file__).resolve().parents[2]


def queue(app, count: int) -> set[str]:
    with app.app_context():
        person = UserFactory()
        for n in range(count):
            notify(recipient=person, kind="account.roles_changed", subject=f"Message {n}")
        db.session.commit()
        return set(db.session.scalars(select(OutboundEmail.message_id)))


def outstanding(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboundEmail)
                                 .where(OutboundEmail.status != EmailStatus.SENT))


def test_two_workers_never_send_the_same_message_twice(clean_outbox, monkeypatch):
    app = clean_outbox
    server = SmtpServer(Inbox()).start()
    monkeypatch.setitem(app.config, "SMTP_URL", server.url)
    expected = queue(app, 200)
    sent_by: dict[str, int] = {}
    start = threading.Barrier(2)

    def work(name: str) -> None:
        with app.app_context():
            start.wait()
            settings = WorkerSettings(batch_size=10)
            deadline = time.monotonic() + 60
            while outstanding(app) and time.monotonic() < deadline:
                sent_by[name] = sent_by.get(name, 0) + run_once(settings=settings).sent

    threads = [threading.Thread(target=work, args=(name,), daemon=True) for name in ("worker-a", "worker-b")]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
    finally:
        server.stop()
    ids = server.inbox.message_ids
    assert len(ids) == 200
    assert set(ids) == expected  # every message once, none twice
    assert sum(sent_by.values()) == 200
    if on_postgres():  # SKIP LOCKED lets both work side by side; SQLite's one write lock may let one take it all
        assert all(sent_by.get(name, 0) > 0 for name in ("worker-a", "worker-b")), sent_by


def test_a_worker_killed_mid_batch_loses_nothing(clean_outbox, monkeypatch):
    app = clean_outbox
    inbox = Inbox(delay_seconds=0.1)  # a slow mail server, so the kill lands mid-batch
    server = SmtpServer(inbox).start()
    monkeypatch.setitem(app.config, "SMTP_URL", server.url)
    expected = queue(app, 30)
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SMTP_URL": server.url,
           "WORKER_LEASE_SECONDS": "2", "WORKER_BATCH_SIZE": "10", "WORKER_POLL_SECONDS": "1",
           "SECRET_KEY": "test", "PORTAL_ENV": "development"}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "portal", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        inbox.wait_for(3, timeout=60)
    finally:
        worker.kill()  # SIGKILL: no chance to tidy up
        worker.wait(timeout=10)
    with app.app_context():
        in_flight = db.session.scalar(select(func.count()).select_from(OutboundEmail)
                                      .where(OutboundEmail.status == EmailStatus.SENDING))
    assert in_flight > 0  # the kill really interrupted a claimed batch

    inbox.delay_seconds = 0
    with app.app_context():
        later = utcnow() + timedelta(seconds=3)  # the dead worker's lease has run out
        for _ in range(100):  # bounded: a worker that never drains the outbox fails the test, not the run
            if not outstanding(app):
                break
            run_once(now=later, settings=WorkerSettings(batch_size=10))
    server.stop()
    ids = inbox.message_ids
    assert set(ids) == expected  # nothing lost
    duplicates = len(ids) - len(set(ids))
    assert duplicates <= 10  # at most the batch that was in flight, each with its original Message-ID
