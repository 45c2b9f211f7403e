"""Who sees which insight. HR's pages are declared ``@role_required(Role.HR)`` on the route; a line manager is a
relation, not a role, so the team page is open to everyone signed in and shows a team only to someone with reports
(anyone else is told the page is for line managers). Templates ask ``can.insight.see_team_insight()``."""

from __future__ import annotations

from sqlalchemy import exists, select

from portal.auth.models import User
from portal.extensions import db


def can_see_team_insight(user: User, _unused: object = None) -> bool:
    """Someone who line-manages at least one active person."""
    if not user.is_authenticated:
        return False
    return bool(db.session.scalar(select(exists().where(User.manager_id == user.id,
                                                        User.is_active_account.is_(True)))))
