"""Reading de-brief requests: the supporter's queue, the requester's own list and counts. HR's figures are grouped
counts in portal/insight/peer_support.py."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.common.pagination import Page, keyset_page
from portal.debriefs.models import DebriefRecipient, DebriefRequest, DebriefState, DutySupporter, UnitLead
from portal.extensions import db

ACTIVE_STATES = (DebriefState.CLAIMED, DebriefState.HELD, DebriefState.FOLLOW_UPS)


def to_claim(user: User, *, cursor: str | None, size: int) -> Page[DebriefRequest]:
    """Open requests this person was told about, most urgent first (two queries: the page, its recipients)."""
    stmt = (select(DebriefRequest)
            .join(DebriefRecipient, DebriefRecipient.request_id == DebriefRequest.id)
            .where(DebriefRecipient.user_id == user.id, DebriefRequest.state == DebriefState.OPEN)
            .options(joinedload(DebriefRequest.unit)))
    return keyset_page(stmt, order=[(DebriefRequest.respond_by, False), (DebriefRequest.id, False)],
                       cursor=cursor, size=size, session=db.session)


def looking_after(user: User) -> list[DebriefRequest]:
    return list(db.session.scalars(
        select(DebriefRequest)
        .where(DebriefRequest.claimed_by_id == user.id, DebriefRequest.state.in_([s.value for s in ACTIVE_STATES]))
        .options(joinedload(DebriefRequest.unit), joinedload(DebriefRequest.requester))
        .order_by(DebriefRequest.claimed_at, DebriefRequest.id)
    ))


def own_requests(user: User) -> list[DebriefRequest]:
    return list(db.session.scalars(
        select(DebriefRequest).where(DebriefRequest.requester_id == user.id)
        .options(joinedload(DebriefRequest.claimed_by))
        .order_by(DebriefRequest.created_at.desc(), DebriefRequest.id.desc()).limit(50)
    ))


def count_to_claim(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(DebriefRequest)
        .join(DebriefRecipient, DebriefRecipient.request_id == DebriefRequest.id)
        .where(DebriefRecipient.user_id == user.id, DebriefRequest.state == DebriefState.OPEN)
    ) or 0


def count_looking_after(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(DebriefRequest)
        .where(DebriefRequest.claimed_by_id == user.id, DebriefRequest.state.in_([s.value for s in ACTIVE_STATES]))
    ) or 0


def rota() -> tuple[list[DutySupporter], list[UnitLead]]:
    duties = list(db.session.scalars(select(DutySupporter).order_by(DutySupporter.unit_id, DutySupporter.id)))
    leads = list(db.session.scalars(select(UnitLead).order_by(UnitLead.unit_id)))
    return duties, leads
