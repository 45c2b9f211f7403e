"""flask worker"""

from __future__ import annotations

import logging
import signal
import threading

import click
from flask import current_app

from portal.notifications.worker import WorkerSettings, run_forever, run_once


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one round (send due email, run due jobs) and exit.")
@click.option("--batch-size", type=int, default=None, help="Emails or jobs claimed at a time.")
def worker_command(once: bool, batch_size: int | None) -> None:
    """Send queued email and run due jobs until stopped (SIGTERM or Ctrl-C finish the current message first)."""
    # The worker's log is its record of what it sent (and, with no SMTP_URL, the mail itself): show INFO.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    current_app.logger.setLevel(logging.INFO)
    settings = WorkerSettings.from_config(current_app.config)
    if batch_size:
        settings.batch_size = batch_size
    if once:
        report = run_once(settings=settings)
        click.echo(f"sent {report.sent}, failed {report.failed}, jobs done {report.jobs_done}, "
                   f"jobs failed {report.jobs_failed}")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    run_forever(current_app._get_current_object(), stop=stop, settings=settings)
