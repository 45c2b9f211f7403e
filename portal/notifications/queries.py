"""Reads for the administrators' view of background work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal.common.features import registry
from portal.extensions import db
from portal.notifications.models import Job, JobSchedule, JobStatus
from portal.notifications.schedule import Periodic


@dataclass(frozen=True)
class ScheduledWork:
    periodic: Periodic
    last_job: Job | None  # the run for the latest period scheduled
    next_run_at: datetime | None
    failed_runs: int  # runs given up as dead (an administrator can retry them)


def scheduled_work() -> list[ScheduledWork]:
    """Every periodic job the features declare, with its latest run, its next run and its failures (three queries,
    however many jobs and runs there are)."""
    periodic_jobs = registry().periodic_jobs
    kinds = [periodic.kind for periodic in periodic_jobs]
    states = {state.kind: state for state in db.session.scalars(select(JobSchedule).where(JobSchedule.kind.in_(kinds)))}
    latest = {job.kind: job for job in db.session.scalars(
        select(Job).join(JobSchedule, (JobSchedule.kind == Job.kind) & (JobSchedule.last_period == Job.period)))}
    dead = dict(db.session.execute(select(Job.kind, func.count()).where(
        Job.kind.in_(kinds), Job.period.is_not(None), Job.status == JobStatus.DEAD).group_by(Job.kind)).all())
    found = []
    for periodic in periodic_jobs:
        state = states.get(periodic.kind)
        next_run = periodic.due_at(periodic.next_period(state.last_period)) if state else None
        found.append(ScheduledWork(periodic, latest.get(periodic.kind), next_run, dead.get(periodic.kind, 0)))
    return found
