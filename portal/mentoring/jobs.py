"""Jobs: lapse an unanswered request; erase old confidential content. Both safe to run twice."""

from __future__ import annotations

from datetime import datetime

from portal.extensions import db
from portal.mentoring import services
from portal.mentoring.models import Mentoring
from portal.notifications.schedule import Every, Periodic


def lapse(payload: dict, now: datetime) -> None:
    mentoring = db.session.get(Mentoring, payload["mentoring_id"])
    if mentoring is not None:
        services.lapse_request(mentoring=mentoring, now=now)


def retention(payload: dict, now: datetime) -> None:
    services.erase_old_content(now=now)


# What register() hands the worker: job kind → handler, and the schedule of the periodic one.
JOBS = {services.LAPSE_JOB: lapse, services.RETENTION_JOB: retention}
PERIODIC = [Periodic(services.RETENTION_JOB, every=Every.DAY, hour=3,
                     description="Erase the words of mentorings ended past the retention period (daily, 03:00)")]
