"""The SMTP connection never sends a password in clear, and says plainly when it cannot connect."""

import pytest

from portal.notifications.mailer import MailerError, SmtpMailer
from tests.mail import Inbox, SmtpServer


@pytest.fixture
def plain_server():
    """A mail server that offers no STARTTLS (as one whose offer was stripped on the way would look)."""
    server = SmtpServer(Inbox()).start()
    yield server
    server.stop()


def test_only_smtp_urls_are_accepted():
    with pytest.raises(ValueError, match="smtp:// or smtps://"):
        SmtpMailer("http://mail.example", mail_from="frontline@localhost")


@pytest.mark.parametrize("query", ["?starttls=required", ""])
def test_with_credentials_or_when_required_tls_is_not_optional(plain_server, query):
    credentials = "" if query else "frontline:secret@"
    url = f"smtp://{credentials}127.0.0.1:{plain_server.port}{query}"
    with pytest.raises(MailerError, match="could not connect"), SmtpMailer(url, mail_from="frontline@localhost"):
        pass


def test_implicit_tls_to_a_plain_server_fails_as_a_connection_error(plain_server):
    url = f"smtps://127.0.0.1:{plain_server.port}"
    with pytest.raises(MailerError, match="could not connect"), SmtpMailer(url, mail_from="frontline@localhost"):
        pass


def test_without_tls_on_offer_and_without_credentials_mail_is_sent_in_the_open(plain_server):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "frontline@localhost", "a@example.nhs.uk", "Plain"
    message.set_content("Hello")
    with SmtpMailer(f"smtp://127.0.0.1:{plain_server.port}", mail_from="frontline@localhost") as mailer:
        mailer.send(message)
    assert [r.recipients for r in plain_server.inbox.received] == [["a@example.nhs.uk"]]
