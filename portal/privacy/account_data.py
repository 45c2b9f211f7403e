"""The account part of a subject access export: the profile, roles and units, notifications and their settings, the
emails sent, and what the person did as recorded in the audit log."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.models import User
from portal.common.audit import AuditEvent
from portal.common.features import registry
from portal.extensions import db
from portal.notifications.models import DigestSettings, Notification, NotificationPreference, OutboundEmail
from portal.org.queries import labels_for
from portal.privacy.records import Section


def profile(person: User) -> Section:
    manager = person.manager
    item = {
        "name": person.display_name, "email": person.email, "staff_number": person.staff_number,
        "job_title": person.job_title, "unit": labels_for([person.unit])[person.unit_id],
        "line_manager": manager.display_name if manager is not None else None,
        "roles": [role.label for role in sorted(person.roles)], "language": person.locale,
        "account_created_at": person.created_at, "last_signed_in_at": person.last_sign_in_at,
        "is_active": person.is_active_account,
    }
    return Section("profile", _("Your account"), [
        ("name", _("Name")), ("email", _("Email")), ("staff_number", _("Staff number")),
        ("job_title", _("Job title")), ("unit", _("Unit")), ("line_manager", _("Line manager")),
        ("roles", _("Roles")), ("language", _("Language")), ("account_created_at", _("Account created")),
        ("last_signed_in_at", _("Last signed in")), ("is_active", _("Account active"))], [item],
        about=_("Your password is kept only as a one-way hash, so it is not included."))


def notifications(person: User) -> Section:
    rows = db.session.scalars(select(Notification).where(Notification.recipient_id == person.id)
                              .order_by(Notification.created_at, Notification.id))
    return Section("notifications", _("Notifications"), [
        ("created_at", _("When")), ("subject", _("Subject")), ("body", _("Message")), ("url", _("Link")),
        ("read_at", _("Read"))],
        [{"created_at": n.created_at, "subject": n.subject, "body": n.body, "url": n.url, "read_at": n.read_at}
         for n in rows])


def notification_settings(person: User) -> Section:
    kinds = registry().notification_kinds
    rows = db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == person.id)
                              .order_by(NotificationPreference.kind))
    items = [{"what": str(kinds[p.kind].label) if p.kind in kinds else p.kind, "how": p.channel} for p in rows]
    digest = db.session.get(DigestSettings, person.id)
    if digest is not None:
        items.append({"what": _("Daily summary email"), "how": _("At %(hour)s:00", hour=digest.hour)})
    return Section("notification_settings", _("Notification settings you changed"),
                   [("what", _("What")), ("how", _("How you are told"))], items)


def emails(person: User) -> Section:
    rows = db.session.scalars(select(OutboundEmail).where(OutboundEmail.recipient_id == person.id)
                              .order_by(OutboundEmail.created_at, OutboundEmail.id))
    return Section("emails", _("Emails sent to you"), [
        ("created_at", _("When")), ("to", _("To")), ("subject", _("Subject")), ("status", _("Status")),
        ("sent_at", _("Sent"))],
        [{"created_at": e.created_at, "to": e.to_address, "subject": e.subject, "status": e.status,
          "sent_at": e.sent_at} for e in rows],
        about=_("Each email repeats a notification above, so only its subject is listed here."))


def audit_events(person: User) -> Section:
    """What the audit log recorded this person doing. Details are left out: an administrator's entries can hold
    another person's details (a new colleague's email address, say)."""
    labels = registry().audit_labels
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == person.id)
                              .order_by(AuditEvent.occurred_at, AuditEvent.id))
    return Section("audit_events", _("What the audit log recorded you doing"), [
        ("occurred_at", _("When")), ("action", _("What")), ("target", _("On")), ("ip", _("From the address"))],
        [{"occurred_at": e.occurred_at, "action": str(labels.get(e.action, e.action)), "action_code": e.action,
          "target": f"{e.target_type} {e.target_id}" if e.target_type else None, "ip": e.ip} for e in rows],
        about=_("Only what you did. Entries about other people keep their details out of this export."))


BEFORE = [profile]
AFTER = [notifications, notification_settings, emails, audit_events]
