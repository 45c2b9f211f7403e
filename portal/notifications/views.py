"""Notifications: the list, the bell, marking read, preferences; and the email outbox for administrators."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, has_request_context, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from portal.common.access import role_required, signed_in
from portal.common.errors import DomainError, NotFound
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.pagination import keyset_page
from portal.common.roles import Role
from portal.common.security import safe_next
from portal.extensions import db
from portal.notifications.forms import field_name, offered_kinds, preferences_form
from portal.notifications.kinds import KINDS
from portal.notifications.models import Channel, EmailStatus, Notification, OutboundEmail
from portal.notifications.services import (
    digest_hour_for,
    get_own_notification,
    mark_all_read,
    mark_read,
    preferences_for,
    retry_dead_emails,
    retry_email,
    save_preferences,
    unread_count,
)

bp = Blueprint("notifications", __name__)


def _own_or_404(notification_id: int) -> Notification:
    try:
        return get_own_notification(user=current_user, notification_id=notification_id)
    except NotFound:
        abort(404)


@bp.route("/notifications")
@signed_in
def inbox():
    stmt = select(Notification).where(Notification.recipient_id == current_user.id)
    page = keyset_page(stmt, order=[(Notification.created_at, True), (Notification.id, True)],
                       cursor=request.args.get("after"), size=current_app.config["PAGE_SIZE"], session=db.session)
    return render_page("notifications/inbox.html", block="items" if request.args.get("after") else None, page=page,
                       unread=unread_count(current_user))


@bp.route("/notifications/bell")
@signed_in
def bell():
    return render_page("notifications/_bell.html", unread=unread_count(current_user))


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@signed_in
def open_notification(notification_id: int):
    notification = _own_or_404(notification_id)
    mark_read(notification=notification)
    db.session.commit()
    return redirect_after_post(safe_next(notification.url, url_for("notifications.inbox")))


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@signed_in
def read_one(notification_id: int):
    notification = _own_or_404(notification_id)
    mark_read(notification=notification)
    db.session.commit()
    if is_htmx():  # swap just this card, and the bell, without leaving the page
        return render_page("notifications/_item.html", n=notification, unread=unread_count(current_user),
                           oob_bell=True)
    return redirect_after_post(url_for("notifications.inbox"))


@bp.route("/notifications/read-all", methods=["POST"])
@signed_in
def read_all():
    count = mark_all_read(user=current_user)
    db.session.commit()
    if count:
        flash(_("All your notifications are marked as read."), "success")
    return redirect_after_post(url_for("notifications.inbox"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@signed_in
def preferences():
    current = preferences_for(current_user)
    form = preferences_form(current_user, data={"digest_hour": digest_hour_for(current_user),
                                  **{field_name(k): v.value for k, v in current.items()}})
    if form.validate_on_submit():
        channels = {name: Channel(getattr(form, field_name(name)).data) for name in offered_kinds(current_user)}
        save_preferences(user=current_user, channels=channels, digest_hour=form.digest_hour.data)
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect_after_post(url_for("notifications.preferences"))
    groups: dict[str, list] = {}
    for name, kind in KINDS.items():
        if kind.applies_to(current_user):
            groups.setdefault(str(kind.group), []).append((kind, getattr(form, field_name(name), None)))
    return render_page("notifications/preferences.html", form=form, groups=groups)


@bp.route("/admin/emails")
@role_required(Role.ADMIN)
def outbox():
    status = request.args.get("status", "")
    stmt = select(OutboundEmail)
    if status in {s.value for s in EmailStatus}:
        stmt = stmt.where(OutboundEmail.status == status)
    page = keyset_page(stmt, order=[(OutboundEmail.id, True)], cursor=request.args.get("after"),
                       size=current_app.config["PAGE_SIZE"], session=db.session)
    return render_page("notifications/outbox.html", block="results" if request.args.get("after") else None,
                       page=page, status_filter=status, statuses=list(EmailStatus))


@bp.route("/admin/emails/<int:email_id>")
@role_required(Role.ADMIN)
def outbox_email(email_id: int):
    email = db.get_or_404(OutboundEmail, email_id)
    return render_page("notifications/outbox_email.html", email=email)


@bp.route("/admin/emails/<int:email_id>/retry", methods=["POST"])
@role_required(Role.ADMIN)
def retry(email_id: int):
    try:
        retry_email(email_id=email_id, actor=current_user)
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("The email will be sent again in the next minute."), "success")
    return redirect_after_post(url_for("notifications.outbox_email", email_id=email_id))


@bp.route("/admin/emails/retry-dead", methods=["POST"])
@role_required(Role.ADMIN)
def retry_dead():
    count = retry_dead_emails(actor=current_user)
    db.session.commit()
    flash(ngettext("%(num)d email will be sent again.", "%(num)d emails will be sent again.", count), "success")
    return redirect_after_post(url_for("notifications.outbox", status="pending"))


@bp.app_context_processor
def _bell_context():
    """The header bell: one COUNT query per page for a signed-in person."""
    if has_request_context() and current_user.is_authenticated and not current_user.must_change_password:
        return {"unread_notifications": unread_count(current_user),
                "bell_poll_seconds": current_app.config["BELL_POLL_SECONDS"]}
    return {}
