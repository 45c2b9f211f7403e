"""Jobs: escalate an unclaimed request, remind a supporter of a check-in, erase old confidential content.

Each handler runs in the worker's transaction and is safe to run twice (the services check state first).
"""

from __future__ import annotations

from datetime import datetime

from portal.debriefs import services
from portal.debriefs.models import DebriefRequest
from portal.extensions import db
from portal.notifications.schedule import Every, Periodic


def escalate(payload: dict, now: datetime) -> None:
    request = db.session.get(DebriefRequest, payload["request_id"])
    if request is not None:
        services.escalate_request(request=request, level=int(payload["level"]), now=now)


def follow_up(payload: dict, now: datetime) -> None:
    request = db.session.get(DebriefRequest, payload["request_id"])
    if request is not None:
        services.remind_follow_up(request=request, which=payload["which"])


def retention(payload: dict, now: datetime) -> None:
    services.erase_old_content(now=now)


# What register() hands the worker: job kind → handler, and the schedule of the periodic one.
JOBS = {services.ESCALATE_JOB: escalate, services.FOLLOW_UP_JOB: follow_up, services.RETENTION_JOB: retention}
PERIODIC = [Periodic(services.RETENTION_JOB, every=Every.DAY, hour=3,
                     description="Erase the words of de-briefs closed past the retention period (daily, 03:00)")]
