"""Telling people things: ``notify`` writes an in-app notification and, by preference, an email — in the caller's
transaction, so a change that rolls back tells nobody and a change that commits loses nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import InvalidTransition
from portal.common.workflow import move_state
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.kinds import Kind, all_kinds, get_kind
from portal.notifications.models import (
    Channel,
    DigestSettings,
    EmailAttachment,
    EmailStatus,
    Notification,
    NotificationPreference,
    OutboundEmail,
)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


def absolute_url(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + "/" + path.lstrip("/")


def channel_for(user: User, kind: str) -> Channel:
    kind_def = get_kind(kind)
    if kind_def.email_required:
        return Channel.EMAIL
    chosen = db.session.get(NotificationPreference, (user.id, kind))
    return chosen.channel if chosen else kind_def.default_channel


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{current_app.config['MAIL_MESSAGE_ID_DOMAIN']}>"


def queue_email(*, to: User, kind: str, subject: str, template: str, context: dict,
                attachments: Iterable[Attachment] = ()) -> OutboundEmail:
    """Render an email (plain text and HTML, in the recipient's language) into the outbox.

    ``template`` names ``templates/notifications/email/<template>.txt`` and ``.html``.
    """
    with force_locale(to.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        context = {"recipient": to, "subject": subject, "preferences_url": absolute_url("/notifications/preferences"),
                   **context}
        text_body = render_template(f"notifications/email/{template}.txt", **context)
        html_body = render_template(f"notifications/email/{template}.html", **context)
    email = OutboundEmail(message_id=new_message_id(), recipient_id=to.id, to_address=to.email, kind=kind,
                          subject=subject, text_body=text_body, html_body=html_body)
    email.attachments = [EmailAttachment(filename=a.filename, content_type=a.content_type, content=a.content)
                         for a in attachments]
    db.session.add(email)
    return email


def notify(*, recipient: User, kind: Kind | str, subject, body="", url: str = "/",
           attachments: Iterable[Attachment] = ()) -> Notification:
    """Tell ``recipient`` something: in Frontline always, and by email now or in their daily digest.

    Pass ``subject`` and ``body`` as lazy strings (``lazy_gettext``) so they are written in the recipient's language.

    ``subject`` and ``body`` must never carry confidential peer-support content: they appear in emails. Say that
    something needs attention and link to it. Deactivated people get the in-app notification only.
    """
    kind = kind.name if isinstance(kind, Kind) else kind
    channel = channel_for(recipient, kind)
    with force_locale(recipient.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, body = str(subject), str(body)  # lazy strings are read in the recipient's language
    notification = Notification(recipient_id=recipient.id, kind=kind, subject=subject, body=body, url=url,
                                digest_pending=channel == Channel.DIGEST and recipient.is_active_account)
    db.session.add(notification)
    if channel == Channel.EMAIL and recipient.is_active_account:
        queue_email(to=recipient, kind=kind, subject=subject, template="notification",
                    context={"body": body, "link": absolute_url(url)}, attachments=attachments)
    db.session.flush()
    return notification


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    ) or 0


def mark_read(*, notification: Notification, now: datetime | None = None) -> None:
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        db.session.flush()


def mark_all_read(*, user: User, now: datetime | None = None) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def preferences_for(user: User) -> dict[str, Channel]:
    chosen = {p.kind: p.channel for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    return {name: (Channel.EMAIL if kind.email_required else chosen.get(name, kind.default_channel))
            for name, kind in all_kinds().items()}


def digest_hour_for(user: User) -> int:
    settings = db.session.get(DigestSettings, user.id)
    return settings.hour if settings else current_app.config["DEFAULT_DIGEST_HOUR"]


def save_preferences(*, user: User, channels: dict[str, Channel], digest_hour: int) -> None:
    """Store the person's choices; kinds left at their default keep no row."""
    if not 0 <= digest_hour <= 23:
        raise ValueError("digest_hour must be 0–23")
    existing = {p.kind: p for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    for name, channel in channels.items():
        kind = get_kind(name)
        row = existing.get(name)
        if channel == kind.default_channel or kind.email_required:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=name, channel=channel))
        else:
            row.channel = channel
    settings = db.session.get(DigestSettings, user.id)
    if settings is None:
        db.session.add(DigestSettings(user_id=user.id, hour=digest_hour))
    else:
        settings.hour = digest_hour
    db.session.flush()


def retry_email(*, email: OutboundEmail, actor: User) -> OutboundEmail:
    """An administrator sends an email the worker gave up on again. Raises InvalidTransition unless it is dead
    (a second click, or an email someone else retried first)."""
    if not move_state(email, column="status", expected=[EmailStatus.DEAD], to=EmailStatus.PENDING, attempts=0,
                      next_attempt_at=utcnow()):
        raise InvalidTransition(_("Only emails that could not be sent can be retried."))
    record_event("email.retried", actor=actor, target=email)
    return email


def retry_dead_emails(*, actor: User) -> int:
    """An administrator sends every email that could not be sent again (after a long mail outage, say)."""
    result = db.session.execute(
        update(OutboundEmail).where(OutboundEmail.status == EmailStatus.DEAD)
        .values(status=EmailStatus.PENDING, attempts=0, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        record_event("email.retried_all", actor=actor, count=result.rowcount)
    return result.rowcount
