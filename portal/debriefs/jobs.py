"""Jobs: escalate an unclaimed request, remind a supporter of a check-in, erase old confidential content.

Each handler runs in the worker's transaction and is safe to run twice (the services check state first).
"""

from __future__ import annotations

from datetime import datetime

from portal.debriefs import services
from portal.debriefs.models import DebriefRequest
from portal.extensions import db
from portal.notifications.jobs import job_handler


@job_handler(services.ESCALATE_JOB)
def escalate(payload: dict, now: datetime) -> None:
    request = db.session.get(DebriefRequest, payload["request_id"])
    if request is not None:
        services.escalate_request(request=request, level=int(payload["level"]), now=now)


@job_handler(services.FOLLOW_UP_JOB)
def follow_up(payload: dict, now: datetime) -> None:
    request = db.session.get(DebriefRequest, payload["request_id"])
    if request is not None:
        services.remind_follow_up(request=request, which=payload["which"])


@job_handler(services.RETENTION_JOB)
def retention(payload: dict, now: datetime) -> None:
    services.erase_old_content(now=now)
    services.schedule_retention(now=now)
