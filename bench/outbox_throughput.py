"""How many emails per second `flask worker` processes move from the outbox to an SMTP server.

    .venv/bin/python -m bench.outbox_throughput --messages 2000 --database postgresql+psycopg://postgres@127.0.0.1/test

Queues N emails in a database of its own, then drains it with 1 worker process and again with 2, each time
against a real SMTP server (aiosmtpd's Sink, in a process of its own), and prints messages per second. The machine
has two cores shared by the workers, the SMTP server and PostgreSQL, so compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import delete, func, select

from portal.extensions import db
from portal.notifications.models import EmailStatus, Job, Notification, OutboundEmail
from portal.notifications.services import notify
from tests.mail import free_port

ROOT = Path(__file__).resolve().parent.parent


def queue(app, count: int) -> None:
    from tests.factories import UserFactory

    with app.app_context():
        for model in (OutboundEmail, Notification, Job):
            db.session.execute(delete(model))
        person = UserFactory()
        for n in range(count):
            notify(recipient=person, kind="account.roles_changed", subject=f"Benchmark {n}")
        db.session.commit()


def unsent(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(OutboundEmail)
                                  .where(OutboundEmail.status != EmailStatus.SENT))
        db.session.remove()
        return count


def drain(app, *, workers: int, env: dict, timeout: float = 600) -> float:
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "portal", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
    try:
        while unsent(app) and time.perf_counter() - started < timeout:
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--database", default=None, help="PostgreSQL server URL (default: SQLite in /tmp)")
    args = parser.parse_args()
    if args.database:
        os.environ["TEST_DATABASE_URL"] = args.database
    from tests.conftest import make_test_app  # reads TEST_DATABASE_URL
    from tests.databases import fresh_database_url

    app = make_test_app(fresh_database_url("frontline_bench_outbox", Path("/tmp")))
    port = free_port()
    sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
                             "-l", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "bench",
           "SMTP_URL": f"smtp://127.0.0.1:{port}", "WORKER_BATCH_SIZE": str(args.batch_size),
           "WORKER_POLL_SECONDS": "1", "PORTAL_ENV": "development"}
    time.sleep(1)
    try:
        rates = {}
        for workers in (1, 2):
            queue(app, args.messages)
            seconds = drain(app, workers=workers, env=env)
            rates[workers] = args.messages / seconds
            print(f"{workers} worker process(es): {args.messages} emails in {seconds:.2f}s = {rates[workers]:.0f}/s")
        print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")
    finally:
        sink.terminate()
        sink.wait(timeout=10)


if __name__ == "__main__":
    main()
