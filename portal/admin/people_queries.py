"""Reading people for the administration pages: the filtered, keyset-paginated list and one person's history."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import lazyload, selectinload

from portal.auth.models import User, UserRole
from portal.common.audit import AuditEvent
from portal.common.pagination import Page, keyset_page
from portal.common.roles import Role
from portal.db import Choice
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import subtree_unit_ids

PEOPLE_ORDER = [(User.display_name, False), (User.id, False)]


class Status(Choice):
    """Whose accounts the list shows."""

    ACTIVE = "active", _l("Active")
    DEACTIVATED = "deactivated", _l("Deactivated")
    ALL = "all", _l("Active and deactivated")


@dataclass(frozen=True)
class PeopleFilter:
    """What the list is narrowed to. ``unit`` includes everything beneath it."""

    q: str = ""
    role: Role | None = None
    unit: Unit | None = None
    status: Status = Status.ACTIVE

    def as_args(self) -> dict[str, str]:
        """The filter as query-string arguments (empty ones left out), for links that keep it."""
        args = {"q": self.q, "role": self.role.value if self.role else "",
                "unit": str(self.unit.id) if self.unit else "",
                "status": "" if self.status is Status.ACTIVE else self.status.value}
        return {key: value for key, value in args.items() if value}


def _filtered(people_filter: PeopleFilter) -> Select:
    stmt = select(User)
    if people_filter.q:
        term = people_filter.q
        stmt = stmt.where(or_(User.display_name.icontains(term, autoescape=True),
                              User.email.icontains(term, autoescape=True),
                              User.staff_number.icontains(term, autoescape=True)))
    if people_filter.role is not None:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == people_filter.role.value)))
    if people_filter.unit is not None:
        stmt = stmt.where(User.unit_id.in_(subtree_unit_ids(people_filter.unit)))
    if people_filter.status is Status.ACTIVE:
        stmt = stmt.where(User.is_active_account.is_(True))
    elif people_filter.status is Status.DEACTIVATED:
        stmt = stmt.where(User.is_active_account.is_(False))
    return stmt


def people_page(people_filter: PeopleFilter, *, after: str | None) -> Page[User]:
    """One page of matching people by name: one query for the people, one for all their roles."""
    # Unit names come from unit_labels() (one query for the whole tree), so the unit join is not needed here.
    stmt = _filtered(people_filter).options(lazyload(User.unit), selectinload(User.role_rows))
    return keyset_page(stmt, order=PEOPLE_ORDER, cursor=after, size=current_app.config["PAGE_SIZE"],
                       session=db.session)


def count_people(people_filter: PeopleFilter) -> int:
    stmt = _filtered(people_filter).with_only_columns(func.count(User.id))
    return db.session.scalar(stmt) or 0


def recent_events_about(user: User, *, limit: int = 10) -> list[AuditEvent]:
    """The latest audit events whose target is ``user`` (newest first), with who did them."""
    stmt = (select(AuditEvent)
            .where(AuditEvent.target_type == User.__tablename__, AuditEvent.target_id == str(user.id))
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit))
    return list(db.session.scalars(stmt))
