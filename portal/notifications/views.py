"""Each person's notifications: the list, the bell, opening and marking read, and their settings.

The administrators' email outbox is in admin_views.py; the URL rules are in blueprint.py.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import current_app, flash, has_request_context, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.common.access import signed_in
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.loading import load
from portal.common.pagination import keyset_page
from portal.common.security import safe_next
from portal.extensions import db
from portal.notifications import policies
from portal.notifications.forms import field_name, offered_kinds, preferences_form
from portal.notifications.kinds import all_kinds
from portal.notifications.models import Channel, Notification
from portal.notifications.services import (
    digest_hour_for,
    mark_all_read,
    mark_read,
    preferences_for,
    save_preferences,
    unread_count,
)


def bell_context() -> dict[str, Any]:
    """Context processor for the header bell: ``unread_notifications()`` is one COUNT query, run only by a template
    that shows the bell (a whole page), never by a fragment."""
    if has_request_context() and current_user.is_authenticated and not current_user.must_change_password:
        person = current_user._get_current_object()
        return {"unread_notifications": partial(unread_count, person),
                "bell_poll_seconds": current_app.config["BELL_POLL_SECONDS"]}
    return {}


@signed_in
def inbox():
    stmt = select(Notification).where(Notification.recipient_id == current_user.id)
    page = keyset_page(stmt, order=[(Notification.created_at, True), (Notification.id, True)],
                       cursor=request.args.get("after"), size=current_app.config["PAGE_SIZE"], session=db.session)
    return render_page("notifications/inbox.html", block="items" if request.args.get("after") else None, page=page,
                       unread=unread_count(current_user))


@signed_in
def bell():
    return render_page("notifications/_bell.html", unread=unread_count(current_user))


@signed_in
@load("notification_id", Notification, can=policies.can_read, hide=True)
def open_notification(notification: Notification):
    mark_read(notification=notification)
    return redirect_after_post(safe_next(notification.url, url_for("notifications.inbox")))


@signed_in
@load("notification_id", Notification, can=policies.can_read, hide=True)
def read_one(notification: Notification):
    mark_read(notification=notification)
    if is_htmx():  # swap just this card, and the bell, without leaving the page
        return render_page("notifications/_item.html", n=notification, unread=unread_count(current_user),
                           oob_bell=True)
    return redirect_after_post(url_for("notifications.inbox"))


@signed_in
def read_all():
    if mark_all_read(user=current_user):
        flash(_("All your notifications are marked as read."), "success")
    return redirect_after_post(url_for("notifications.inbox"))


@signed_in
def preferences():
    current = preferences_for(current_user)
    form = preferences_form(current_user, data={"digest_hour": digest_hour_for(current_user),
                                                **{field_name(k): v.value for k, v in current.items()}})
    if form.validate_on_submit():
        channels = {name: Channel(getattr(form, field_name(name)).data) for name in offered_kinds(current_user)}
        save_preferences(user=current_user, channels=channels, digest_hour=form.digest_hour.data)
        flash(_("Your notification settings are saved."), "success")
        return redirect_after_post(url_for("notifications.preferences"))
    groups: dict[str, list] = {}
    for name, kind in all_kinds().items():
        if kind.applies_to(current_user):
            groups.setdefault(str(kind.group), []).append((kind, getattr(form, field_name(name), None)))
    return render_page("notifications/preferences.html", form=form, groups=groups)
