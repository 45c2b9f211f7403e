"""The background worker: sends the email outbox and runs due jobs.

Any number of workers on any number of machines is safe. A worker *claims* a batch by stamping it with a lease
token in one short transaction — on PostgreSQL the candidates are picked with ``SELECT … FOR UPDATE SKIP LOCKED`` so
workers never wait on each other; on every database the claiming ``UPDATE`` re-checks that each row is still
claimable, so a row can only ever be claimed by one worker at a time. A worker that dies leaves its claim to expire
(``lease_expires_at``); the row is then claimed again. Mail is therefore delivered at least once, and a re-send
carries the same Message-ID. A job's effects commit in the same transaction that marks it done, so a job's work
is never half done.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from portal.common.features import registry
from portal.db import serialized_writes, utcnow
from portal.extensions import db
from portal.notifications.jobs import handler_for, schedule_job
from portal.notifications.mailer import MailerError, build_message, make_mailer
from portal.notifications.models import EmailStatus, Job, JobSchedule, JobStatus, OutboundEmail

log = logging.getLogger(__name__)


@dataclass
class WorkerSettings:
    batch_size: int = 50
    lease_seconds: int = 300
    max_attempts: int = 8
    poll_seconds: float = 5.0
    periodic_every_minutes: int = 5

    @classmethod
    def from_config(cls, config: dict) -> WorkerSettings:
        return cls(batch_size=config["WORKER_BATCH_SIZE"], lease_seconds=config["WORKER_LEASE_SECONDS"],
                   max_attempts=config["WORKER_MAX_ATTEMPTS"], poll_seconds=config["WORKER_POLL_SECONDS"])


@dataclass
class RunReport:
    sent: int = 0
    failed: int = 0
    jobs_done: int = 0
    jobs_failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def busy(self) -> bool:
        return bool(self.sent or self.failed or self.jobs_done or self.jobs_failed)


CONNECT_RETRY = timedelta(seconds=60)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _claim(model, claimable, *, now: datetime, settings: WorkerSettings) -> str | None:
    """Stamp up to batch_size claimable rows of ``model`` with a fresh lease token; returns it (None if none)."""
    token = uuid.uuid4().hex
    candidates = (
        select(model.id).where(claimable).order_by(model.id).limit(settings.batch_size)
        .with_for_update(skip_locked=True)
    )
    try:
        ids = list(db.session.scalars(candidates))
        if not ids:
            db.session.rollback()
            return None
        # The lease starts now, not when the round started (due jobs may have run first).
        stamped = max(now, utcnow())
        values = {"lease_token": token, "lease_expires_at": stamped + timedelta(seconds=settings.lease_seconds),
                  "attempts": model.attempts + 1,
                  "status": EmailStatus.SENDING if model is OutboundEmail else JobStatus.RUNNING}
        db.session.execute(update(model).where(model.id.in_(ids), claimable).values(**values)
                           .execution_options(synchronize_session=False))
        db.session.commit()
    except OperationalError:
        # SQLite allows one writer: another worker is claiming right now. Try again on the next round.
        db.session.rollback()
        return None
    return token


def _claimable(model, pending, running, due_column, now: datetime):
    return or_(and_(model.status == pending, due_column <= now),
               and_(model.status == running, model.lease_expires_at < now))


@dataclass(frozen=True)
class _Claimed:
    """What sending needs, read once: commits after each message must not make the batch reload row by row."""

    id: int
    to_address: str
    attempts: int
    message: object


def send_due_emails(*, now: datetime, settings: WorkerSettings, report: RunReport) -> None:
    claimable = _claimable(OutboundEmail, EmailStatus.PENDING, EmailStatus.SENDING, OutboundEmail.next_attempt_at, now)
    token = _claim(OutboundEmail, claimable, now=now, settings=settings)
    if token is None:
        return
    mail_from = current_app.config["MAIL_FROM"]
    claimed = []
    for email in db.session.scalars(select(OutboundEmail).where(OutboundEmail.lease_token == token)
                                    .order_by(OutboundEmail.id)):
        try:
            message = build_message(email, mail_from=mail_from)
        except Exception as error:  # noqa: BLE001 — a message we cannot even build must not hold up the rest
            message = error
        claimed.append(_Claimed(email.id, email.to_address, email.attempts, message))
    db.session.rollback()
    started = time.monotonic()
    try:
        with make_mailer(current_app.config, current_app.logger) as mailer:
            for position, item in enumerate(claimed):
                if time.monotonic() - started > settings.lease_seconds / 2:
                    # Slow server: stop well before our lease runs out and another worker may take these.
                    _hand_back(claimed[position:], token=token, error=None, retry_at=now)
                    return
                _send_one(mailer, item, token=token, now=now, settings=settings, report=report)
    except MailerError as error:
        # Could not even connect: the server is down, not the message. Try again soon; it does not count
        # as an attempt, so a long outage never turns good mail dead.
        _hand_back(claimed, token=token, error=str(error), retry_at=now + CONNECT_RETRY)
        report.failed += len(claimed)
        report.errors.append(str(error))
        log.warning("mail server unreachable, %s emails wait: %s", len(claimed), error)


def _hand_back(items: list[_Claimed], *, token: str, error: str | None, retry_at: datetime) -> None:
    """Return claimed, unsent emails to the queue without counting the attempt."""
    values = {"status": EmailStatus.PENDING, "lease_token": None, "lease_expires_at": None,
              "attempts": OutboundEmail.attempts - 1, "next_attempt_at": retry_at}
    if error is not None:
        values["last_error"] = error[:2000]
    db.session.execute(
        update(OutboundEmail).where(OutboundEmail.id.in_([item.id for item in items]),
                                    OutboundEmail.lease_token == token)
        .values(**values).execution_options(synchronize_session=False)
    )
    db.session.commit()


def _send_one(mailer, item: _Claimed, *, token: str, now: datetime, settings: WorkerSettings,
              report: RunReport) -> None:
    try:
        if isinstance(item.message, Exception):
            raise item.message
        mailer.send(item.message)
    except Exception as error:  # noqa: BLE001 — one bad message must not hold up the rest
        _release_failed(item, token=token, error=str(error), now=now, settings=settings, report=report)
        return
    result = db.session.execute(
        update(OutboundEmail).where(OutboundEmail.id == item.id, OutboundEmail.lease_token == token)
        .values(status=EmailStatus.SENT, sent_at=utcnow(), lease_token=None, lease_expires_at=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount:
        report.sent += 1


def _release_failed(item: _Claimed, *, token: str, error: str, now: datetime, settings: WorkerSettings,
                    report: RunReport) -> None:
    """Put the email back for a later attempt (with backoff), or give up on it; only if our claim still holds."""
    dead = item.attempts >= settings.max_attempts
    result = db.session.execute(
        update(OutboundEmail).where(OutboundEmail.id == item.id, OutboundEmail.lease_token == token)
        .values(status=EmailStatus.DEAD if dead else EmailStatus.PENDING, lease_token=None, lease_expires_at=None,
                next_attempt_at=now + backoff(item.attempts), last_error=error[:2000])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount:
        report.failed += 1
        report.errors.append(error)
        log.warning("email %s to %s failed (attempt %s): %s", item.id, item.to_address, item.attempts, error)


def run_due_jobs(*, now: datetime, settings: WorkerSettings, report: RunReport) -> None:
    claimable = _claimable(Job, JobStatus.PENDING, JobStatus.RUNNING, Job.run_at, now)
    token = _claim(Job, claimable, now=now, settings=settings)
    if token is None:
        return
    jobs = [(job.id, job.kind, dict(job.payload), job.attempts) for job in
            db.session.scalars(select(Job).where(Job.lease_token == token).order_by(Job.id))]
    db.session.rollback()
    for job_id, kind, payload, attempts in jobs:
        _run_one(job_id, kind, payload, attempts, token=token, now=now, settings=settings, report=report)


def _run_one(job_id: int, kind: str, payload: dict, attempts: int, *, token: str, now: datetime,
             settings: WorkerSettings, report: RunReport) -> None:
    try:
        handler = handler_for(kind)
        handler(payload, now)
        finished = db.session.execute(
            update(Job).where(Job.id == job_id, Job.lease_token == token)
            .values(status=JobStatus.DONE, finished_at=utcnow(), lease_token=None, last_error=None)
            .execution_options(synchronize_session=False)
        )
        if finished.rowcount != 1:  # our lease ran out and another worker has it: leave the work to them
            db.session.rollback()
            return
        db.session.commit()
        report.jobs_done += 1
    except Exception as error:  # noqa: BLE001 — a failing handler must not stop the worker
        db.session.rollback()
        dead = attempts >= settings.max_attempts
        db.session.execute(
            update(Job).where(Job.id == job_id, Job.lease_token == token)
            .values(status=JobStatus.DEAD if dead else JobStatus.PENDING, lease_token=None, lease_expires_at=None,
                    run_at=now + backoff(attempts), last_error=traceback.format_exc()[-2000:])
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        report.jobs_failed += 1
        report.errors.append(f"{kind}: {error}")
        log.exception("job %s (%s) failed", job_id, kind)


def schedule_periodic_jobs(*, now: datetime, settings: WorkerSettings) -> None:
    """The digest scan every few minutes, and one job per due period of every periodic job — every period missed
    while no worker ran, oldest first (portal/notifications/schedule.py)."""
    from portal.notifications.digests import DIGEST_SCAN

    slot = now.replace(second=0, microsecond=0, minute=now.minute - now.minute % settings.periodic_every_minutes)
    schedule_job(kind=DIGEST_SCAN, run_at=slot, dedupe_key=f"{DIGEST_SCAN}:{slot:%Y-%m-%dT%H:%M}")
    for periodic in registry().periodic_jobs:
        _schedule_missed_periods(periodic, now=now)
    db.session.commit()


def _schedule_missed_periods(periodic, *, now: datetime) -> None:
    state = db.session.get(JobSchedule, periodic.kind)
    if state is None:
        state = _start_schedule(periodic, now=now)
    for period in periodic.periods_after(state.last_period, now):
        schedule_job(kind=periodic.kind, run_at=periodic.due_at(period), payload={"period": period},
                     dedupe_key=f"{periodic.kind}:{period}", period=period)
        # Another worker may be catching up too: the unique (kind, period) makes its job and ours the same one.
        db.session.execute(update(JobSchedule).where(JobSchedule.kind == periodic.kind,
                                                     JobSchedule.last_period < period)
                           .values(last_period=period).execution_options(synchronize_session=False))


def _start_schedule(periodic, *, now: datetime) -> JobSchedule:
    """A periodic job seen for the first time starts with the *next* period: what was due before it existed (or
    before this schedule replaced the old daily jobs, which had already sent it) is not sent again."""
    state = JobSchedule(kind=periodic.kind, last_period=periodic.latest_due(now))
    try:
        with db.session.begin_nested():
            db.session.add(state)
    except IntegrityError:  # another worker started it at the same moment
        state = db.session.get(JobSchedule, periodic.kind, populate_existing=True)
    return state


def run_once(*, now: datetime | None = None, settings: WorkerSettings | None = None) -> RunReport:
    """One round: schedule periodic jobs, run due jobs, send due email. Needs an app context."""
    now = now or utcnow()
    settings = settings or WorkerSettings.from_config(current_app.config)
    report = RunReport()
    with serialized_writes():
        try:
            schedule_periodic_jobs(now=now, settings=settings)
        except OperationalError:  # SQLite busy beyond its timeout: the next round schedules it
            db.session.rollback()
        run_due_jobs(now=now, settings=settings, report=report)
        send_due_emails(now=now, settings=settings, report=report)
    db.session.remove()
    return report


def run_forever(app: Flask, *, stop: threading.Event, settings: WorkerSettings | None = None) -> None:
    """Poll until ``stop`` is set; a busy round goes straight on to the next, an idle one waits poll_seconds."""
    with app.app_context():
        settings = settings or WorkerSettings.from_config(app.config)
        log.info("worker started (batch %s, lease %ss)", settings.batch_size, settings.lease_seconds)
        while not stop.is_set():
            try:
                report = run_once(settings=settings)
            except OperationalError as error:  # the database went away; wait and try again
                db.session.remove()
                log.warning("worker round failed: %s", error)
                report = RunReport()
            if not report.busy:
                stop.wait(settings.poll_seconds)
        log.info("worker stopped")
