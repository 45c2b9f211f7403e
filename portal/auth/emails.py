"""The account emails that carry a link to choose a password, and the kinds of notification they belong to.

The link goes in the email only: there is no in-app notification of it, and the kinds are ``confidential`` so the
administrators' outbox shows such an email's status but never its words or its address (a link that sets someone's
password is theirs alone). Both are always sent by email, whatever the person chose.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.auth.models import User
from portal.extensions import db
from portal.notifications.kinds import Kind, notification_kind
from portal.notifications.models import OutboundEmail
from portal.notifications.services import absolute_url, new_message_id

# The page a link opens (portal/auth/blueprint.py names it too); the secret follows it.
CHOOSE_PASSWORD_PATH = "/password/new/"  # noqa: S105 - an address, not a password

ACCOUNT_INVITATION = notification_kind(
    "account.invitation", _l("When you are invited to Frontline"), email_required=True, confidential=True)
ACCOUNT_PASSWORD_RESET = notification_kind(
    "account.password_reset", _l("When you ask to reset your password"), email_required=True, confidential=True)
ACCOUNT_PASSWORD_CHANGED = notification_kind(
    "account.password_changed", _l("When your password is set or reset with an emailed link"),
    email_required=True)
KINDS = (ACCOUNT_INVITATION, ACCOUNT_PASSWORD_RESET, ACCOUNT_PASSWORD_CHANGED)


def link_for(secret: str) -> str:
    return absolute_url(CHOOSE_PASSWORD_PATH + secret)


def queue_account_email(*, to: User, kind: Kind, subject, template: str, **context) -> OutboundEmail:
    """Render ``templates/auth/email/<template>.txt`` and ``.html`` in the recipient's language into the outbox.

    The same as ``portal.notifications.services.queue_email`` but for this feature's own templates, with no footer
    about notification settings (these emails cannot be turned off).
    """
    with force_locale(to.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = str(subject)
        values = {"recipient": to, "subject": subject, "sign_in_url": absolute_url("/login"), **context}
        text_body = render_template(f"auth/email/{template}.txt", **values)
        html_body = render_template(f"auth/email/{template}.html", **values)
    email = OutboundEmail(message_id=new_message_id(), recipient_id=to.id, to_address=to.email, kind=kind.name,
                          subject=subject, text_body=text_body, html_body=html_body)
    db.session.add(email)
    return email

