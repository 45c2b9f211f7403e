"""The daily digest: notifications a person chose to get "once a day" arrive in one email at their chosen hour."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from portal.auth.models import User
from portal.extensions import db
from portal.notifications.models import DigestSettings, Notification
from portal.notifications.services import absolute_url, queue_email

DIGEST_SCAN = "notifications.digest_scan"
LONDON = ZoneInfo("Europe/London")


def last_digest_time(hour: int, now: datetime) -> datetime:
    """The most recent moment, at or before ``now``, when it was ``hour``:00 in London (right across clock changes)."""
    local = now.astimezone(LONDON)
    candidate = datetime(local.year, local.month, local.day, hour, tzinfo=LONDON)
    if candidate > local:
        previous = local.date() - timedelta(days=1)
        candidate = datetime(previous.year, previous.month, previous.day, hour, tzinfo=LONDON)
    return candidate


def send_due_digests(payload: dict, now: datetime) -> None:
    """Queue one digest email for each person whose digest hour has come since their oldest waiting notification."""
    waiting = db.session.execute(
        select(Notification.recipient_id, func.min(Notification.created_at))
        .where(Notification.digest_pending.is_(True))
        .group_by(Notification.recipient_id)
    ).all()
    if not waiting:
        return
    ids = [recipient_id for recipient_id, _ in waiting]
    hours = dict(db.session.execute(select(DigestSettings.user_id, DigestSettings.hour)
                                    .where(DigestSettings.user_id.in_(ids))).all())
    default_hour = current_app.config["DEFAULT_DIGEST_HOUR"]
    due = [rid for rid, oldest in waiting if oldest <= last_digest_time(hours.get(rid, default_hour), now)]
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(due)))}
    for recipient_id in due:
        _send_digest(users[recipient_id], now)


def _send_digest(user: User, now: datetime) -> None:
    # Lock the rows we put in this digest: an overlapping scan on another worker skips them instead of
    # sending them a second time.
    items = list(db.session.scalars(
        select(Notification)
        .where(Notification.recipient_id == user.id, Notification.digest_pending.is_(True),
               Notification.created_at <= now)
        .order_by(Notification.created_at, Notification.id)
        .with_for_update(skip_locked=True)
    ))
    if not items:
        return
    db.session.execute(
        update(Notification).where(Notification.id.in_([n.id for n in items]), Notification.digest_pending.is_(True))
        .values(digest_pending=False).execution_options(synchronize_session=False)
    )
    if not user.is_active_account:
        return
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = ngettext("Frontline: %(num)d thing since your last summary",
                           "Frontline: %(num)d things since your last summary", len(items))
        intro = _("Here is what happened.")
    queue_email(to=user, kind="digest", subject=subject, template="digest",
                context={"items": [(n, absolute_url(n.url)) for n in items],
                         "inbox_url": absolute_url("/notifications"), "intro": intro})


# What register() hands the worker: job kind → handler.
JOBS = {DIGEST_SCAN: send_due_digests}
