"""Who hears about a de-brief request: the nearest duty supporters up the unit tree, then wider, then leads, and
HR's named contact when nobody else can be found — so a request never dead-ends."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User, UserRole
from portal.common.roles import Role
from portal.debriefs.models import DutySupporter, UnitLead
from portal.extensions import db
from portal.org.models import Unit
from portal.support.models import SupporterProfile, SupportKind


def chain_up(unit: Unit) -> list[int]:
    """The unit's id and its ancestors' ids, nearest first."""
    return [unit.id, *reversed(unit.ancestor_ids)]


def nearest_duty_supporters(unit_ids: list[int], *, exclude_id: int) -> tuple[int | None, list[User]]:
    """The first unit in ``unit_ids`` (nearest first) with any active duty supporter, and those supporters.

    One query; ``exclude_id`` (the requester) is never asked to de-brief themselves.
    """
    if not unit_ids:
        return None, []
    rows = db.session.execute(
        select(DutySupporter.unit_id, User)
        .join(User, User.id == DutySupporter.user_id)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.SUPPORTER.value))
        .where(DutySupporter.unit_id.in_(unit_ids), User.is_active_account.is_(True), User.id != exclude_id)
        .order_by(User.display_name, User.id)
    ).all()
    by_unit: dict[int, list[User]] = {}
    for unit_id, user in rows:
        by_unit.setdefault(unit_id, []).append(user)
    for unit_id in unit_ids:
        if by_unit.get(unit_id):
            return unit_id, by_unit[unit_id]
    return None, []


def nearest_lead(unit: Unit, *, exclude_id: int) -> User | None:
    ids = chain_up(unit)
    rows = db.session.execute(
        select(UnitLead.unit_id, User).join(User, User.id == UnitLead.user_id)
        .where(UnitLead.unit_id.in_(ids), User.is_active_account.is_(True), User.id != exclude_id)
    ).all()
    by_unit = dict(rows)
    return next((by_unit[i] for i in ids if i in by_unit), None)


def units_above(routed_unit_id: int, unit: Unit) -> list[int]:
    """The ids above ``routed_unit_id`` in the requester's chain (nearest first)."""
    chain = chain_up(unit)
    return chain[chain.index(routed_unit_id) + 1:] if routed_unit_id in chain else []


def hr_people(*, exclude_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.HR.value))
        .where(User.is_active_account.is_(True), User.id != exclude_id).order_by(User.id)
    ))


def debrief_supporters() -> list[User]:
    """Active supporters whose profile offers de-briefs: the only people who may go on the duty rota (one query;
    the offer is a JSON list, so it is read here rather than filtered in SQL, and the list of supporters is short)."""
    rows = db.session.execute(
        select(User, SupporterProfile.kinds)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.SUPPORTER.value))
        .join(SupporterProfile, SupporterProfile.user_id == User.id)
        .where(User.is_active_account.is_(True)).order_by(User.display_name, User.id)
    ).all()
    return [user for user, kinds in rows if SupportKind.DEBRIEF.value in (kinds or ())]


def offers_debriefs(person: User) -> bool:
    kinds = db.session.scalar(select(SupporterProfile.kinds).where(SupporterProfile.user_id == person.id))
    return SupportKind.DEBRIEF.value in (kinds or ())
