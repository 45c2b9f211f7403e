"""An administrator sends someone an invitation to choose their password (again). The URL rule is in
blueprint.py: it lives beside the administration pages' addresses (/admin/users/<id>/invite) but belongs to the
accounts feature, whose service it calls."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth import policies
from portal.auth.invitations import invitation_lifetime, send_invitation
from portal.auth.models import User
from portal.common.access import role_required
from portal.common.htmx import redirect_after_post
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt


@role_required(Role.ADMIN)
@load("user_id", User, can=policies.can_manage_account, into="person")
def invite(person: User):
    """Send (or send again) an invitation; an earlier link stops working. Refused, with a message, for a
    deactivated account (the state is the service's to check: a second administrator gets words, not a 403)."""
    with attempt() as outcome:
        send_invitation(user=person, actor=current_user)
    if outcome.ok:
        flash(_("Invitation sent to %(email)s. The link works once, for %(days)d days.", email=person.email,
                days=invitation_lifetime().days), "success")
    return redirect_after_post(url_for("admin.user_edit", user_id=person.id))
