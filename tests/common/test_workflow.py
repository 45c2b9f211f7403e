"""move_state lets exactly one caller move an item out of the state it expected."""

import pytest

from portal.common.workflow import move_state
from portal.extensions import db
from portal.notifications.jobs import schedule_job
from portal.notifications.models import JobStatus

pytestmark = pytest.mark.usefixtures("app_ctx")


def _noop(payload, now):
    return None


@pytest.fixture(autouse=True)
def _test_jobs(job_handlers):
    job_handlers({"tests.workflow": _noop})


def test_the_second_mover_is_refused_and_sees_the_new_state():
    job = schedule_job(kind="tests.workflow")
    db.session.flush()
    assert move_state(job, column="status", expected=[JobStatus.PENDING], to=JobStatus.RUNNING, attempts=1)
    assert (job.status, job.attempts) == (JobStatus.RUNNING, 1)  # re-read from the database
    assert not move_state(job, column="status", expected=[JobStatus.PENDING], to=JobStatus.CANCELLED)
    assert job.status == JobStatus.RUNNING
