"""What good practice tells people, and who: the notification kinds, and the champions who look after a unit.

Subjects and bodies carry titles and reasons as plain text: the notification templates escape them, in the app and
in both parts of every email.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select

from portal.auth.models import User, UserRole
from portal.common.roles import Role
from portal.extensions import db
from portal.notifications.kinds import notification_kind
from portal.notifications.models import Channel
from portal.org.models import Unit

GROUP = _l("Good practice")
TO_REVIEW = notification_kind("practice.to_review", _l("When a practice note in your area needs a champion"),
                              default=Channel.DIGEST, group=GROUP, for_roles=[Role.CHAMPION])
OUTCOME = notification_kind("practice.outcome", _l("When a champion decides about a note you wrote"),
                            default=Channel.EMAIL, group=GROUP)
COMMENTED = notification_kind("practice.commented", _l("When someone comments on a note you wrote"),
                              default=Channel.DIGEST, group=GROUP)
ASKED = notification_kind("practice.asked", _l("When a champion asks to turn a thank-you into a practice note"),
                          default=Channel.EMAIL, group=GROUP)
DIGEST = notification_kind("practice.weekly", _l("A weekly round-up of good practice you follow"),
                           default=Channel.EMAIL, group=GROUP, scheduled=True)
KINDS = (TO_REVIEW, OUTCOME, COMMENTED, ASKED, DIGEST)


def champions_for(unit: Unit, *, exclude_id: int | None = None) -> list[User]:
    """Active champions whose area (their unit and everything beneath it) takes in ``unit``."""
    stmt = (select(User).join(Unit, Unit.id == User.unit_id)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.CHAMPION.value, User.is_active_account.is_(True),
                   literal(unit.path).startswith(Unit.path))
            .order_by(User.id))
    return [user for user in db.session.scalars(stmt).unique() if user.id != exclude_id]
