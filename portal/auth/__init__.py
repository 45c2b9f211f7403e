"""Accounts and signing in: the sign-in page, the organisation's directory (LDAP / Active Directory), single
sign-on through a trusted reverse proxy, invitations and password resets, sessions, the language choice, and
`flask users`."""

from datetime import timedelta
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "auth.signed_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Sign-in failed"),
    "auth.password_changed": _l("Changed their password"),
    "auth.temporary_password_set": _l("Set a temporary password"),
    "auth.signed_out_everywhere": _l("Signed someone out everywhere"),
    "auth.invitation_sent": _l("Sent an invitation to choose a password"),
    "auth.invitation_accepted": _l("Chose a password from an invitation"),
    "auth.password_reset_requested": _l("Asked for a password reset link"),
    "auth.password_reset": _l("Reset their password with an emailed link"),
    "auth.trusted_header_ignored": _l("Single sign-on header ignored: not sent by a trusted proxy"),
    "user.created": _l("Added a person"),
    "user.updated": _l("Changed a person's details"),
    "user.roles_changed": _l("Changed a person's roles"),
    "user.deactivated": _l("Deactivated a person"),
    "user.reactivated": _l("Reactivated a person"),
    "user.import_applied": _l("Imported people from an HR file"),
    "user.directory_synced": _l("Brought people up to date from the directory"),
}
PRUNE_TOKENS_JOB = "auth.prune_sign_in_tokens"


def register(app: Flask) -> None:
    from portal.auth import policies
    from portal.auth.blueprint import bp
    from portal.auth.cli import users_cli
    from portal.auth.directory_settings import check_settings
    from portal.auth.emails import KINDS
    from portal.auth.invitations import RESET_JOB, send_password_reset
    from portal.common.features import contribute
    from portal.notifications.kinds import ACCOUNT_PASSWORD_SET, ACCOUNT_ROLES_CHANGED
    from portal.notifications.schedule import Every, Periodic

    check_settings(app.config)  # a wrong LDAP_ or TRUSTED_ setting stops Frontline here, not at a sign-in
    contribute(app, "auth", blueprint=bp, policies=policies, commands=[users_cli],
               jobs={RESET_JOB: send_password_reset, PRUNE_TOKENS_JOB: _prune_tokens},
               periodic=[Periodic(PRUNE_TOKENS_JOB, every=Every.DAY, hour=3,
                                  description=_l("Delete used and expired password links"))],
               notification_kinds=[ACCOUNT_ROLES_CHANGED, ACCOUNT_PASSWORD_SET, *KINDS],
               context_processors=[_empty_form], audit_labels=AUDIT_LABELS)


def _prune_tokens(payload: dict[str, Any], now) -> None:
    from portal.auth.tokens import prune_tokens

    prune_tokens(older_than=timedelta(days=30), now=now)


def _empty_form() -> dict[str, Any]:
    """``empty_form()`` in every template: a form with only the CSRF token, for POST-only buttons."""
    from portal.auth.forms import EmptyForm

    return {"empty_form": EmptyForm}
