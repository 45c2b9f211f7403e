"""Jobs that run later (reminders, escalations, lapses, digests), claimed by workers from the ``job`` table.

Features contribute their handlers in ``register(app)`` (``contribute(app, ..., jobs={"kind": handler})``) and
schedule work with ``schedule_job`` inside the same transaction as the change that needs it. A handler receives the
payload and the worker's clock, runs in one transaction with the job's completion, and must be safe to run again (a
job whose worker died is retried).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.common.features import registry
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import Job, JobStatus

JobHandler = Callable[[dict[str, Any], datetime], None]


def handler_for(kind: str) -> JobHandler:
    try:
        return registry().job_handlers[kind]
    except KeyError:
        raise ValueError(f"no handler for job kind {kind!r}") from None


def schedule_job(*, kind: str, run_at: datetime | None = None, payload: dict[str, Any] | None = None,
                 dedupe_key: str | None = None, period: str | None = None) -> Job:
    """Add a job (in the caller's transaction). With ``dedupe_key``, scheduling the same key again — from another
    request or another worker at the same moment — returns the existing job instead of adding a second."""
    handler_for(kind)
    if dedupe_key is not None:
        existing = db.session.scalar(select(Job).where(Job.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    job = Job(kind=kind, run_at=run_at or utcnow(), payload=payload or {}, dedupe_key=dedupe_key, period=period)
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:
        existing = db.session.scalar(select(Job).where(Job.dedupe_key == dedupe_key))
        if existing is None:
            raise
        return existing
    return job


def cancel_jobs(*, dedupe_key_prefix: str) -> int:
    """Cancel pending jobs whose key starts with the prefix (e.g. every reminder of a cancelled booking)."""
    result = db.session.execute(
        update(Job)
        .where(Job.dedupe_key.startswith(dedupe_key_prefix, autoescape=True), Job.status == JobStatus.PENDING)
        .values(status=JobStatus.CANCELLED, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
