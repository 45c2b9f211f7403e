"""Sending one email: over SMTP (SMTP_URL), or into instance/mail/ when no SMTP server is configured."""

from __future__ import annotations

import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from logging import Logger
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from portal.db import utcnow
from portal.notifications.models import OutboundEmail

SMTP_TIMEOUT_SECONDS = 20


class MailerError(Exception):
    """Sending failed; the message will be retried."""


def build_message(email: OutboundEmail, *, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    name, address = parseaddr(mail_from)
    message["From"] = str(Address(display_name=name, addr_spec=address)) if name else address
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Message-ID"] = email.message_id
    message["Date"] = format_datetime(utcnow())
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.text_body)
    if email.html_body:
        message.add_alternative(email.html_body, subtype="html")
    for attachment in email.attachments:
        main, _, rest = attachment.content_type.partition("/")
        subtype, *param_parts = [part.strip() for part in rest.split(";")]
        params = dict(part.split("=", 1) for part in param_parts if "=" in part)
        message.add_attachment(attachment.content, maintype=main, subtype=subtype, filename=attachment.filename,
                               params=params)
    return message


class SmtpMailer:
    """One SMTP connection for a batch. ``smtp://`` uses STARTTLS when the server offers it, and insists on it when
    the URL carries user:password (``?starttls=required`` always insists, ``?starttls=off`` never tries);
    ``smtps://`` is TLS from the start."""

    def __init__(self, url: str, *, mail_from: str):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError("SMTP_URL must start with smtp:// or smtps://")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = parse_qs(parts.query).get("starttls", ["auto"])[0]
        self.mail_from = mail_from
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpMailer:
        smtp: smtplib.SMTP | None = None
        try:
            context = ssl.create_default_context()
            if self.implicit_tls:
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)
                smtp.ehlo()
                # With credentials, TLS is not optional: a stripped STARTTLS offer must not send the password in clear.
                must_encrypt = self.starttls == "required" or (self.starttls == "auto" and self.username is not None)
                if must_encrypt or (self.starttls == "auto" and smtp.has_extn("starttls")):
                    smtp.starttls(context=context)
                    smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
        except (OSError, smtplib.SMTPException) as error:
            if smtp is not None:  # connected, then refused (no TLS on offer, a bad password): hang up
                smtp.close()
            raise MailerError(f"could not connect to {self.host}:{self.port}: {error}") from error
        self._smtp = smtp
        return self

    def __exit__(self, *exc) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()

    def send(self, message: EmailMessage) -> None:
        assert self._smtp is not None
        try:
            self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise MailerError(str(error)) from error


class FolderMailer:
    """Development default (no SMTP_URL): each email is written as a ``.eml`` file into ``instance/mail/`` — open
    it in any mail program — and stays readable by administrators on the Emails page. The terminal gets one line
    per worker round, not the mail itself."""

    def __init__(self, folder: Path, logger: Logger):
        self.folder = folder
        self.logger = logger
        self.written = 0

    def __enter__(self) -> FolderMailer:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc) -> None:
        if self.written:
            self.logger.info("%s email(s) not sent (SMTP_URL is not set): written to %s", self.written, self.folder)

    def send(self, message: EmailMessage) -> None:
        name = "".join(ch for ch in str(message["Message-ID"]) if ch.isalnum() or ch in "-_.") or "email"
        (self.folder / f"{name}.eml").write_bytes(bytes(message))
        self.written += 1


def make_mailer(config: dict, logger: Logger):
    if config.get("SMTP_URL"):
        return SmtpMailer(config["SMTP_URL"], mail_from=config["MAIL_FROM"])
    return FolderMailer(Path(config["MAIL_FOLDER"]), logger)
