"""The daily leavers job (02:00 London time): anonymise everyone deactivated longer ago than the retention period.

It acts on its period, not the worker's clock: the job for 29 November counts back from 02:00 on 29 November, so a
run delayed by an outage does what that day's run would have done (and a later day's run catches the rest).
"""

from __future__ import annotations

from datetime import datetime

from portal.notifications.schedule import Every, Periodic
from portal.privacy import services

ANONYMISE_JOB = "privacy.anonymise_leavers"
ANONYMISE = Periodic(ANONYMISE_JOB, every=Every.DAY, hour=2,
                     description="Anonymise leavers deactivated longer ago than LEAVER_RETENTION_DAYS (daily, 02:00)")


def anonymise_leavers(payload: dict, now: datetime) -> None:
    period = payload.get("period")
    services.anonymise_due_leavers(now=ANONYMISE.due_at(period) if period else now)


JOBS = {ANONYMISE_JOB: anonymise_leavers}
PERIODIC = [ANONYMISE]
