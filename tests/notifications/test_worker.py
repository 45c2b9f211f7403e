"""The worker against a real SMTP server (aiosmtpd)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.jobs import schedule_job
from portal.notifications.models import EmailStatus, Job, JobStatus, Notification, OutboundEmail
from portal.notifications.services import Attachment, notify
from portal.notifications.worker import CONNECT_RETRY, WorkerSettings, backoff, run_once
from tests.factories import UserFactory
from tests.mail import free_port

pytestmark = pytest.mark.usefixtures("app_ctx")
ROLES = "account.roles_changed"
CALLS: list[dict] = []


def _record(payload, now):
    CALLS.append(payload)
    if payload.get("fail"):
        raise RuntimeError("handler failed on purpose")


@pytest.fixture(autouse=True)
def _test_jobs(job_handlers):
    job_handlers({"tests.record": _record})


def test_mail_arrives_with_the_right_recipient_and_content(mail_to):
    person = UserFactory(display_name="Grace Okafor", email="grace.okafor@example.nhs.uk")
    notify(recipient=person, kind=ROLES, subject="You are now on the award panel", body="HR added you.",
           url="/notifications")
    message_id = db.session.scalar(select(OutboundEmail.message_id))
    report = run_once()
    assert report.sent == 1
    [received] = mail_to.received
    assert received.recipients == ["grace.okafor@example.nhs.uk"]
    message = received.message
    assert message["Subject"] == "You are now on the award panel"
    assert message["Message-ID"] == message_id
    assert message["From"].addresses[0].addr_spec == "frontline@localhost"
    assert "HR added you." in message.get_body(("plain",)).get_content()
    assert "http://127.0.0.1:5000/notifications" in message.get_body(("html",)).get_content()
    assert db.session.scalar(select(OutboundEmail.status)) == EmailStatus.SENT


def test_attachments_arrive(mail_to):
    invite = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    notify(recipient=UserFactory(), kind=ROLES, subject="Invite",
           attachments=[Attachment("invite.ics", "text/calendar; method=REQUEST", invite)])
    run_once()
    [received] = mail_to.received
    [part] = list(received.message.iter_attachments())
    assert part.get_filename() == "invite.ics"
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    content = part.get_content()
    content = content.encode() if isinstance(content, str) else content
    assert content.replace(b"\r\n", b"\n") == invite.replace(b"\r\n", b"\n")


def test_smtp_down_keeps_the_mail_and_delivers_when_it_is_back(app, monkeypatch):
    from tests.mail import Inbox, SmtpServer

    port = free_port()
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{port}")  # nothing listening yet
    notify(recipient=UserFactory(email="kept@example.nhs.uk"), kind=ROLES, subject="Kept for later")
    now = utcnow()
    report = run_once(now=now)
    assert (report.sent, report.failed) == (0, 1)
    email = db.session.scalar(select(OutboundEmail))
    # The server being down is not the message's fault: no attempt is counted, so an outage never kills mail.
    assert email.status == EmailStatus.PENDING and email.attempts == 0 and "could not connect" in email.last_error
    assert email.next_attempt_at == now + CONNECT_RETRY

    assert run_once(now=now + timedelta(seconds=5)).failed == 0  # not due yet: left alone
    for hour in range(1, 25):  # a day-long outage
        run_once(now=now + timedelta(hours=hour))
    assert db.session.scalar(select(OutboundEmail.status)) == EmailStatus.PENDING

    server = SmtpServer(Inbox(), port=port).start()
    try:
        report = run_once(now=now + timedelta(hours=25))
        assert report.sent == 1
        assert [r.recipients for r in server.inbox.received] == [["kept@example.nhs.uk"]]
    finally:
        server.stop()


def test_gives_up_after_max_attempts_and_an_admin_can_retry(app, monkeypatch, smtp):
    from portal.notifications.services import retry_email

    monkeypatch.setitem(app.config, "SMTP_URL", smtp.url)
    smtp.inbox.reject_recipients = True  # the server answers, but refuses this message
    notify(recipient=UserFactory(), kind=ROLES, subject="Doomed")
    settings = WorkerSettings(max_attempts=3)
    now = utcnow()
    for attempt in range(1, 4):
        run_once(now=now, settings=settings)
        now += backoff(attempt)
    email = db.session.scalar(select(OutboundEmail))
    email_id = email.id
    assert (email.status, email.attempts) == (EmailStatus.DEAD, 3)
    assert run_once(now=now + timedelta(days=1), settings=settings).failed == 0  # dead stays dead

    smtp.inbox.reject_recipients = False
    retry_email(email=db.session.get(OutboundEmail, email_id), actor=UserFactory(admin=True))
    db.session.commit()
    assert run_once(now=utcnow(), settings=settings).sent == 1
    assert len(smtp.inbox.received) == 1


def test_without_smtp_url_mail_goes_to_a_folder_and_the_log_says_so_in_one_line(app, monkeypatch, caplog, tmp_path):
    monkeypatch.setitem(app.config, "SMTP_URL", None)
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path / "mail"))
    for n in range(3):
        notify(recipient=UserFactory(email=f"kept{n}@example.nhs.uk"), kind=ROLES, subject=f"Kept, not sent {n}")
    with caplog.at_level("INFO"):
        assert run_once().sent == 3
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 3
    assert any(b"To: kept0@example.nhs.uk" in f.read_bytes() and b"Kept, not sent 0" in f.read_bytes() for f in files)
    lines = [r.getMessage() for r in caplog.records if "not sent" in r.getMessage()]
    assert lines == [f"3 email(s) not sent (SMTP_URL is not set): written to {tmp_path / 'mail'}"]


def test_jobs_run_when_due_and_retry_with_backoff(app):
    CALLS.clear()
    now = utcnow()
    schedule_job(kind="tests.record", run_at=now + timedelta(hours=1), payload={"n": 1})
    schedule_job(kind="tests.record", run_at=now, payload={"n": 2, "fail": True})
    db.session.commit()
    report = run_once(now=now)
    assert CALLS == [{"n": 2, "fail": True}]
    assert report.jobs_failed == 1
    failed = db.session.scalar(select(Job).where(Job.payload["n"].as_integer() == 2))
    assert failed.status == JobStatus.PENDING and "handler failed on purpose" in failed.last_error
    run_once(now=now + timedelta(hours=1))
    assert {"n": 1} in CALLS


def test_a_failing_job_rolls_back_its_own_changes(app, job_handlers):
    person = UserFactory()
    db.session.commit()

    def half_done(payload, now):
        notify(recipient=db.session.get(type(person), payload["user_id"]), kind=ROLES, subject="half")
        raise RuntimeError("crash after writing")

    job_handlers({"tests.half_done": half_done})

    schedule_job(kind="tests.half_done", payload={"user_id": person.id})
    db.session.commit()
    run_once()
    assert db.session.scalars(select(Notification)).all() == []


def test_daily_digest_goes_out_at_the_chosen_london_hour(mail_to):
    from datetime import UTC, datetime

    from portal.notifications.models import Channel
    from portal.notifications.services import save_preferences

    person = UserFactory(email="shift.worker@example.nhs.uk")
    save_preferences(user=person, channels={ROLES: Channel.DIGEST}, digest_hour=19)
    for subject in ("First thing", "Second thing"):
        notify(recipient=person, kind=ROLES, subject=subject)
    db.session.commit()
    # Summer time: 19:00 in London is 18:00 UTC.
    before = datetime(2035, 7, 1, 17, 55, tzinfo=UTC)
    db.session.execute(Notification.__table__.update().values(created_at=before - timedelta(hours=2)))
    db.session.commit()
    run_once(now=before)
    assert mail_to.received == []
    run_once(now=datetime(2035, 7, 1, 18, 0, tzinfo=UTC))
    [digest] = mail_to.received
    body = digest.message.get_body(("plain",)).get_content()
    assert digest.recipients == ["shift.worker@example.nhs.uk"]
    assert "First thing" in body and "Second thing" in body
    assert "2 things" in digest.message["Subject"]
    run_once(now=datetime(2035, 7, 1, 18, 10, tzinfo=UTC))
    assert len(mail_to.received) == 1  # sent once


def test_an_email_that_cannot_be_built_fails_alone(mail_to):
    notify(recipient=UserFactory(email="broken@example.nhs.uk"), kind=ROLES, subject="Broken")
    broken = db.session.scalar(select(OutboundEmail))
    broken.to_address = "broken@example.nhs.uk\r\nBcc: everyone@example.nhs.uk"  # never a header injection
    broken_id = broken.id
    notify(recipient=UserFactory(email="fine@example.nhs.uk"), kind=ROLES, subject="Fine")
    db.session.commit()
    report = run_once()
    assert (report.sent, report.failed) == (1, 1)
    assert [r.recipients for r in mail_to.received] == [["fine@example.nhs.uk"]]
    broken = db.session.get(OutboundEmail, broken_id)
    assert broken.status == EmailStatus.PENDING and broken.attempts == 1 and "linefeed" in broken.last_error


def test_a_job_of_an_unknown_kind_is_refused_when_scheduled():
    with pytest.raises(ValueError, match="no handler for job kind 'tests.nobody'"):
        schedule_job(kind="tests.nobody")


def test_the_worker_command_runs_one_round(app, mail_to):
    notify(recipient=UserFactory(email="cli@example.nhs.uk"), kind=ROLES, subject="From the command")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once", "--batch-size", "5"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("sent 1, failed 0")
    assert [r.recipients for r in mail_to.received] == [["cli@example.nhs.uk"]]


def test_run_forever_works_until_stopped(app, mail_to):
    import threading

    from portal.notifications.worker import run_forever

    notify(recipient=UserFactory(email="loop@example.nhs.uk"), kind=ROLES, subject="From the loop")
    db.session.commit()
    stop = threading.Event()
    loop = threading.Thread(target=run_forever, args=(app,), daemon=True, kwargs={
        "stop": stop, "settings": WorkerSettings(poll_seconds=0.05)})
    loop.start()
    try:
        mail_to.wait_for(1, timeout=30)
    finally:
        stop.set()
        loop.join(timeout=30)
    assert not loop.is_alive()
    assert [r.recipients for r in mail_to.received] == [["loop@example.nhs.uk"]]


def test_a_digest_for_someone_deactivated_since_is_dropped(mail_to):
    from datetime import UTC, datetime

    from portal.notifications.models import Channel
    from portal.notifications.services import save_preferences

    person = UserFactory()
    save_preferences(user=person, channels={ROLES: Channel.DIGEST}, digest_hour=9)
    notify(recipient=person, kind=ROLES, subject="Before they left")
    person.is_active_account = False
    db.session.execute(Notification.__table__.update().values(created_at=datetime(2035, 1, 10, 8, tzinfo=UTC)))
    db.session.commit()
    run_once(now=datetime(2035, 1, 10, 9, 0, tzinfo=UTC))
    assert mail_to.received == []
    assert db.session.scalar(select(Notification.digest_pending)) is False
