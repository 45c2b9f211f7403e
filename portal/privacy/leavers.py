"""Leavers: an administrator deactivates someone; once they have been deactivated longer than the retention period
(``LEAVER_RETENTION_DAYS``, 730 days unless set), the daily job removes their personal data while every count stays
true — the rows stay, only what identifies the person goes.

What happens to a leaver:
- their account: name becomes "Former colleague", email a unique placeholder, staff number, job title, language and
  last sign-in cleared, the password hash removed and every session ended;
- what only they had: notifications, notification settings, the calendar feed, the addresses and texts of emails
  sent to them; their supporter profile's words and contact details, the labels of their days off;
- peer support about them — the sessions they booked, the de-briefs they asked for, the mentoring they asked for:
  every confidential word in those records is erased (they are about the leaver, whoever wrote them), as the
  retention sweep would in time. Records where they were the supporter stay as they are: they are about the person
  supported, who is still here;
- thank-yous, comments and nominations they wrote keep their words: those words are part of the recognition someone
  else received and may still read. Only the author's identity goes, with the account's name;
- the audit log cannot be changed (database triggers), so its entries keep pointing at the anonymised account.

The job is idempotent: an ``anonymised_leaver`` row marks each person done, and they are never picked again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, cast, delete, exists, func, select, update

from portal.auth.models import User, new_session_token
from portal.common.audit import AuditEvent, record_event
from portal.debriefs.models import DebriefRequest
from portal.extensions import db
from portal.mentoring.models import Mentoring
from portal.notifications.models import (
    DigestSettings,
    EmailAttachment,
    Notification,
    NotificationPreference,
    OutboundEmail,
)
from portal.privacy.models import AnonymisedLeaver
from portal.support.models import AvailabilityException, Booking, CalendarFeed, SupporterProfile

FORMER_COLLEAGUE = "Former colleague"  # stored, so in the one language data is kept in
DEFAULT_RETENTION_DAYS = 730


def retention_days() -> int:
    return int(current_app.config.get("LEAVER_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def placeholder_email(person: User) -> str:
    """Unique (the email column is), and undeliverable: ``.invalid`` is reserved for exactly this (RFC 2606)."""
    return f"former-colleague-{person.id}@anonymised.invalid"


def deactivations():
    """When each person was last deactivated, from the audit log (indexed by action)."""
    return (select(AuditEvent.target_id.label("user_id"), func.max(AuditEvent.occurred_at).label("at"))
            .where(AuditEvent.action == "user.deactivated", AuditEvent.target_type == User.__tablename__)
            .group_by(AuditEvent.target_id).subquery())


def leavers_due(*, now: datetime, days: int) -> list[tuple[User, datetime]]:
    """People still deactivated, deactivated more than ``days`` ago, not anonymised yet."""
    last = deactivations()
    done = exists().where(AnonymisedLeaver.user_id == User.id)
    rows = db.session.execute(
        select(User, last.c.at).join(last, last.c.user_id == cast(User.id, String))
        .where(User.is_active_account.is_(False), last.c.at < now - timedelta(days=days), ~done)
        .order_by(User.id))
    return [(person, at) for person, at in rows]


def anonymise_due_leavers(*, now: datetime, days: int | None = None) -> int:
    """The daily job's work: anonymise everyone due. Returns how many."""
    due = leavers_due(now=now, days=retention_days() if days is None else days)
    for person, deactivated_at in due:
        anonymise_leaver(person=person, deactivated_at=deactivated_at, now=now)
    return len(due)


def anonymise_leaver(*, person: User, deactivated_at: datetime, now: datetime) -> bool:
    """Remove ``person``'s personal data (see the module's docstring). False if they were done already or are
    active again; raises nothing."""
    if person.is_active_account or db.session.get(AnonymisedLeaver, person.id) is not None:
        return False
    _anonymise_account(person)
    _remove_what_only_they_had(person)
    _erase_peer_support_about(person, now)
    db.session.add(AnonymisedLeaver(user_id=person.id, deactivated_at=deactivated_at, anonymised_at=now))
    record_event("privacy.leaver_anonymised", target=person, deactivated_at=deactivated_at.isoformat())
    db.session.flush()
    return True


def _anonymise_account(person: User) -> None:
    person.display_name = FORMER_COLLEAGUE
    person.email = placeholder_email(person)
    person.staff_number = None
    person.job_title = ""
    person.password_hash = None
    person.must_change_password = False
    person.session_token = new_session_token()
    person.locale = None
    person.last_sign_in_at = None


def _remove_what_only_they_had(person: User) -> None:
    for model, column in ((Notification, Notification.recipient_id), (NotificationPreference,
                          NotificationPreference.user_id), (DigestSettings, DigestSettings.user_id),
                          (CalendarFeed, CalendarFeed.user_id)):
        db.session.execute(delete(model).where(column == person.id).execution_options(synchronize_session=False))
    their_emails = select(OutboundEmail.id).where(OutboundEmail.recipient_id == person.id)
    db.session.execute(delete(EmailAttachment).where(EmailAttachment.email_id.in_(their_emails))
                       .execution_options(synchronize_session=False))
    db.session.execute(update(OutboundEmail).where(OutboundEmail.recipient_id == person.id)
                       .values(to_address=placeholder_email(person), subject="", text_body="", html_body=None)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(SupporterProfile).where(SupporterProfile.user_id == person.id)
                       .values(about="", experience="", room="", phone="", video_link="", is_accepting=False)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(AvailabilityException).where(AvailabilityException.supporter_id == person.id)
                       .values(label="").execution_options(synchronize_session=False))


def _erase_peer_support_about(person: User, now: datetime) -> None:
    db.session.execute(update(Booking).where(Booking.booker_id == person.id)
                       .values(reason="", cancel_reason="", reflections="", session_notes="")
                       .execution_options(synchronize_session=False))
    db.session.execute(update(DebriefRequest).where(DebriefRequest.requester_id == person.id)
                       .values(kind=None, note=None, contact_detail=None, session_note=None,
                               content_erased_at=func.coalesce(DebriefRequest.content_erased_at, now))
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Mentoring).where(Mentoring.mentee_id == person.id)
                       .values(goals=None, agreement_goals=None, agreement_frequency=None, agreement_length=None,
                               first_check_note=None,
                               content_erased_at=func.coalesce(Mentoring.content_erased_at, now))
                       .execution_options(synchronize_session=False))
