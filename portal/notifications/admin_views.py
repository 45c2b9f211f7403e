"""The email outbox, for administrators: every email Frontline sends, and retrying those the worker gave up on.

Its pages stay under /admin/emails, with the rest of the administrators' area (see blueprint.py).
"""

from __future__ import annotations

from flask import current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from portal.common.access import role_required
from portal.common.htmx import is_htmx, redirect_after_post, render_page
from portal.common.loading import load
from portal.common.pagination import keyset_page
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.extensions import db
from portal.notifications.models import EmailStatus, JobStatus, OutboundEmail
from portal.notifications.queries import scheduled_work
from portal.notifications.services import retry_dead_emails, retry_email


def _status_filter() -> EmailStatus | None:
    """The ``status`` the list is filtered by; anything that is not a status shows every email."""
    try:
        return EmailStatus(request.args.get("status", ""))
    except ValueError:
        return None


@role_required(Role.ADMIN)
def outbox():
    status = _status_filter()
    stmt = select(OutboundEmail)
    if status is not None:
        stmt = stmt.where(OutboundEmail.status == status)
    page = keyset_page(stmt, order=[(OutboundEmail.id, True)], cursor=request.args.get("after"),
                       size=current_app.config["PAGE_SIZE"], session=db.session)
    more_rows = bool(request.args.get("after"))
    return render_page("notifications/outbox.html", block="results" if more_rows else None, page=page,
                       status_filter=status, statuses=list(EmailStatus), EmailStatus=EmailStatus, JobStatus=JobStatus,
                       scheduled=[] if more_rows and is_htmx() else scheduled_work())


@role_required(Role.ADMIN)
@load("email_id", OutboundEmail)
def outbox_email(email: OutboundEmail):
    return render_page("notifications/outbox_email.html", email=email)


@role_required(Role.ADMIN)
@load("email_id", OutboundEmail)
def retry(email: OutboundEmail):
    with attempt() as outcome:
        retry_email(email=email, actor=current_user)
    if outcome.ok:
        flash(_("The email will be sent again in the next minute."), "success")
    return redirect_after_post(url_for("notifications.outbox_email", email_id=email.id))


@role_required(Role.ADMIN)
def retry_dead():
    count = retry_dead_emails(actor=current_user)
    flash(ngettext("%(num)d email will be sent again.", "%(num)d emails will be sent again.", count), "success")
    return redirect_after_post(url_for("notifications.outbox", status=EmailStatus.PENDING.value))
