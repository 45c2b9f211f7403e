"""Periodic work runs once per period, on time, after any outage: the real worker, the clock moved by hand.

The monthly summary to line managers is the example throughout (the retention sweeps have tests of their own in
each feature); every date here is given to the worker explicitly, so nothing depends on today's date.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import Job, JobSchedule, JobStatus, Notification
from portal.notifications.schedule import Every, Periodic
from portal.notifications.worker import WorkerSettings, run_once
from portal.recognition.models import Post, PostRecipient
from portal.recognition.monthly import MONTHLY_JOB, SCHEDULE
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def at(text: str) -> datetime:
    """A UTC moment: at("2026-10-01 06:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- periods, without a database -------------------------------------------------------------------------------

def test_a_month_runs_at_its_hour_in_london_summer_and_winter_time():
    assert SCHEDULE.due_at("2026-09") == at("2026-10-01 06:00")  # 07:00 BST
    assert SCHEDULE.due_at("2026-10") == at("2026-11-01 07:00")  # 07:00 GMT
    assert SCHEDULE.due_at("2026-12") == at("2027-01-01 07:00")


def test_the_latest_due_period_changes_at_the_london_hour_not_at_utc_midnight():
    assert SCHEDULE.latest_due(at("2026-09-30 23:30")) == "2026-08"  # 00:30 on 1 October in London: not yet
    assert SCHEDULE.latest_due(at("2026-10-01 05:59")) == "2026-08"
    assert SCHEDULE.latest_due(at("2026-10-01 06:00")) == "2026-09"


def test_missed_periods_are_listed_once_each_in_order():
    daily = Periodic("tests.daily", every=Every.DAY, hour=3)
    assert daily.periods_after("2027-03-26", at("2027-03-29 01:59")) == ["2027-03-27", "2027-03-28"]
    assert daily.due_at("2027-03-27") == at("2027-03-27 03:00")  # 03:00 GMT
    assert daily.due_at("2027-03-28") == at("2027-03-28 02:00")  # 03:00 BST: the clocks went forward at 01:00
    assert daily.due_at("2027-10-31") == at("2027-10-31 03:00")  # and back again
    assert SCHEDULE.periods_after("2026-09", at("2026-12-02 00:00")) == ["2026-10", "2026-11"]
    assert SCHEDULE.periods_after("2026-11", at("2026-12-01 06:59")) == []


# --- the real worker, in the test's transaction ----------------------------------------------------------------

def team_thanked_in(*months: tuple[int, int]) -> tuple[int, str]:
    """A manager whose report was thanked once in each (year, month); returns the manager's id and name."""
    manager = UserFactory(display_name="Claire Bennett")
    report = UserFactory(display_name="Grace Okafor", manager=manager)
    author = UserFactory()
    for year, month in months:
        post = Post(author=author, what_they_did="Stayed on the line until the crisis team came",
                    created_at=datetime(year, month, 15, 12, tzinfo=UTC))
        post.recipients = [PostRecipient(user_id=report.id, unit_id=report.unit_id)]
        db.session.add(post)
    db.session.flush()
    return manager.id, manager.display_name


def summaries(manager_id: int) -> list[str]:
    return list(db.session.scalars(select(Notification.subject).where(
        Notification.kind == MONTHLY_JOB, Notification.recipient_id == manager_id).order_by(Notification.id)))


@pytest.mark.usefixtures("app_ctx")
def test_a_summer_month_boundary_sends_one_summary_at_seven_london_time():
    manager_id, _ = team_thanked_in((2026, 9))
    run_once(now=at("2026-09-15 12:00"))  # the worker has been running: it knows the schedule
    run_once(now=at("2026-09-30 23:30"))  # already 1 October in London, but before 07:00
    assert summaries(manager_id) == []
    run_once(now=at("2026-10-01 06:05"))
    run_once(now=at("2026-10-01 07:05"))  # a later round the same morning sends nothing more
    assert summaries(manager_id) == ["How your team was thanked in September 2026"]


@pytest.mark.usefixtures("app_ctx")
def test_a_winter_month_boundary_waits_for_seven_gmt():
    manager_id, _ = team_thanked_in((2026, 10))
    run_once(now=at("2026-10-20 12:00"))
    run_once(now=at("2026-11-01 06:30"))
    assert summaries(manager_id) == []
    run_once(now=at("2026-11-01 07:00"))
    assert summaries(manager_id) == ["How your team was thanked in October 2026"]


@pytest.mark.usefixtures("app_ctx")
def test_a_worker_down_over_the_first_catches_up_one_summary_per_month_in_order():
    manager_id, _ = team_thanked_in((2026, 9), (2026, 10), (2026, 11))
    run_once(now=at("2026-09-20 12:00"))
    # Down from 20 September to 2 December: September, October and November were all missed.
    run_once(now=at("2026-12-02 09:00"))
    run_once(now=at("2026-12-02 09:05"))
    assert summaries(manager_id) == ["How your team was thanked in September 2026",
                                     "How your team was thanked in October 2026",
                                     "How your team was thanked in November 2026"]
    periods = db.session.scalars(select(Job.period).where(Job.kind == MONTHLY_JOB).order_by(Job.id)).all()
    assert periods == ["2026-09", "2026-10", "2026-11"]


@pytest.mark.usefixtures("app_ctx")
def test_a_new_schedule_does_not_resend_what_the_old_daily_job_already_sent():
    manager_id, _ = team_thanked_in((2026, 10))
    run_once(now=at("2026-11-05 09:00"))  # first round ever, after October's summary was due
    assert summaries(manager_id) == []
    assert db.session.get(JobSchedule, MONTHLY_JOB).last_period == "2026-10"


@pytest.mark.usefixtures("app_ctx")
def test_the_outbox_page_shows_each_periodic_jobs_last_and_next_run_and_failures(as_user):
    run_once(now=at("2026-09-20 12:00"))
    run_once(now=at("2026-10-01 06:10"))
    db.session.add(Job(kind=MONTHLY_JOB, period="2026-07", status=JobStatus.DEAD, payload={"period": "2026-07"},
                       dedupe_key=f"{MONTHLY_JOB}:2026-07", last_error="SMTP refused"))
    db.session.flush()
    page = as_user(UserFactory(admin=True)).get("/admin/emails").get_data(as_text=True)
    section = page.split("Scheduled work", 1)[1]
    assert "Monthly summary of thanks to line managers" in section
    assert "(2026-09)" in section  # September's run is the last one
    assert "Sun 1 Nov" in section and "07:00" in section  # October's is next, at 07:00 London time
    assert "1 run failed" in section


# --- several workers, and a worker that dies, on committed data --------------------------------------------------

@pytest.fixture
def clean_schedule(clean_outbox):
    app = clean_outbox
    with app.app_context():
        for model in (JobSchedule, PostRecipient, Post):
            db.session.execute(delete(model))
        db.session.commit()
    return app


def _managers_with_thanks(app, count: int, month: tuple[int, int]) -> set[int]:
    with app.app_context():
        author = UserFactory()
        managers = set()
        for _ in range(count):
            manager = UserFactory()
            report = UserFactory(manager=manager)
            post = Post(author=author, what_they_did="Made a grieving caller feel heard",
                        created_at=datetime(*month, 10, 12, tzinfo=UTC))
            post.recipients = [PostRecipient(user_id=report.id, unit_id=report.unit_id)]
            db.session.add(post)
            managers.add(manager.id)
        db.session.commit()
        return managers


def _summary_counts(app, managers: set[int]) -> dict[int, int]:
    with app.app_context():
        rows = db.session.execute(select(Notification.recipient_id, func.count()).where(
            Notification.kind == MONTHLY_JOB, Notification.recipient_id.in_(managers))
            .group_by(Notification.recipient_id)).all()
        return dict(rows)


@pytest.mark.committed
def test_two_workers_catching_up_at_once_still_send_one_summary_per_manager(clean_schedule):
    app = clean_schedule
    managers = _managers_with_thanks(app, 5, (2026, 10))
    with app.app_context():
        run_once(now=at("2026-10-20 12:00"))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with app.app_context():
                start.wait()
                for _ in range(3):
                    run_once(now=at("2026-11-03 09:00"), settings=WorkerSettings(batch_size=5))
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert _summary_counts(app, managers) == {manager: 1 for manager in managers}


@pytest.mark.committed
def test_a_worker_killed_in_the_middle_of_the_summaries_sends_each_exactly_once(clean_schedule):
    """A real ``flask worker`` process, on today's clock, is given last month's summary for many managers and is
    killed while it runs; the next worker sends every summary, none twice (the job commits with its effects)."""
    app = clean_schedule
    now = utcnow()
    period = SCHEDULE.latest_due(now)
    year, month = map(int, period.split("-"))
    managers = _managers_with_thanks(app, 300, (year, month))
    with app.app_context():
        db.session.add(JobSchedule(kind=MONTHLY_JOB, last_period=SCHEDULE.previous_period(period)))
        db.session.commit()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "WORKER_LEASE_SECONDS": "2",
           "WORKER_POLL_SECONDS": "1", "SECRET_KEY": "test", "PORTAL_ENV": "development"}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "portal", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        interrupted = _wait_until_running(app, period)
    finally:
        worker.kill()  # SIGKILL: no chance to tidy up
        worker.wait(timeout=10)
    assert interrupted, "the worker finished before it could be killed: give it more managers"
    assert _summary_counts(app, managers) == {}  # the kill landed inside the job: none of its summaries survived
    with app.app_context():
        later = utcnow() + timedelta(seconds=3)  # the dead worker's lease has run out
        for _ in range(3):
            run_once(now=later)
    assert _summary_counts(app, managers) == {manager: 1 for manager in managers}


def _wait_until_running(app, period: str) -> bool:
    """Poll until the worker has claimed the month's job; True if it was still running at that moment."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with app.app_context():
            status = db.session.scalar(select(Job.status).where(Job.kind == MONTHLY_JOB, Job.period == period))
        if status == JobStatus.RUNNING:
            return True
        if status == JobStatus.DONE:
            return False
        time.sleep(0.02)
    raise AssertionError("the worker never started the month's job")
