import pytest

from tests.mail import Inbox, SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer(Inbox()).start()
    yield server
    server.stop()


@pytest.fixture
def mail_to(app, smtp, monkeypatch):
    """Point the app's SMTP_URL at the real test SMTP server; returns its inbox."""
    monkeypatch.setitem(app.config, "SMTP_URL", smtp.url)
    return smtp.inbox


@pytest.fixture(scope="session")
def committed_app(tmp_path_factory):
    """An app on a database of its own where work really commits (for workers on separate connections)."""
    from portal.extensions import db
    from tests.conftest import make_test_app
    from tests.databases import fresh_database_url, worker_name

    url = fresh_database_url(f"frontline_outbox_{worker_name()}", tmp_path_factory.mktemp("outboxdb"))
    application = make_test_app(url)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def clean_outbox(committed_app):
    from sqlalchemy import delete

    from portal.extensions import db
    from portal.notifications.models import EmailAttachment, Job, Notification, OutboundEmail

    with committed_app.app_context():
        for model in (EmailAttachment, OutboundEmail, Notification, Job):
            db.session.execute(delete(model))
        db.session.commit()
    return committed_app
