"""Jobs: lapse an unanswered request; erase old confidential content. Both safe to run twice."""

from __future__ import annotations

from datetime import datetime

from portal.extensions import db
from portal.mentoring import services
from portal.mentoring.models import Mentoring
from portal.notifications.jobs import job_handler


@job_handler(services.LAPSE_JOB)
def lapse(payload: dict, now: datetime) -> None:
    mentoring = db.session.get(Mentoring, payload["mentoring_id"])
    if mentoring is not None:
        services.lapse_request(mentoring=mentoring, now=now)


@job_handler(services.RETENTION_JOB)
def retention(payload: dict, now: datetime) -> None:
    services.run_retention(now=now)
