"""Reading the audit log: filtered, newest first, one page per query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload, raiseload

from portal.auth.models import User
from portal.common.audit import AuditEvent
from portal.common.features import registry
from portal.common.pagination import Page, keyset_page
from portal.common.params import parse_id
from portal.extensions import db
from portal.org.models import Unit

LONDON = ZoneInfo("Europe/London")

def action_label(action: str) -> str:
    """The words for an audit action, as its feature contributed them (``contribute(..., audit_labels=…)``)."""
    return str(registry().audit_labels.get(action, action))


def confidential_actions() -> set[str]:
    """Peer-support actions (who asked, booked, read): kept in the log, never listed to administrators."""
    return registry().confidential_audit


def london_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which ``day`` starts and the next day starts in London (23 or 25 hours at a clock change)."""
    start = datetime.combine(day, time.min, tzinfo=LONDON)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    actor_email: str | None = None  # part of the actor's email
    target_type: str | None = None
    target_id: str | None = None
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive


def audit_page(audit_filter: AuditFilter, *, cursor: str | None, size: int) -> Page[AuditEvent]:
    """One page of events, newest first, each with its actor: one query whatever the page size."""
    stmt = select(AuditEvent).options(
        joinedload(AuditEvent.actor).load_only(User.id, User.email, User.display_name).options(raiseload("*"))
    )
    f = audit_filter
    hidden = confidential_actions()
    if hidden:
        stmt = stmt.where(AuditEvent.action.not_in(sorted(hidden)))
    if f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.actor_email:
        stmt = stmt.where(AuditEvent.actor_id.in_(
            select(User.id).where(User.email.contains(f.actor_email, autoescape=True))))
    if f.target_type:
        stmt = stmt.where(AuditEvent.target_type == f.target_type)
    if f.target_id:
        stmt = stmt.where(AuditEvent.target_id == f.target_id)
    if f.start:
        stmt = stmt.where(AuditEvent.occurred_at >= f.start)
    if f.end:
        stmt = stmt.where(AuditEvent.occurred_at < f.end)
    return keyset_page(stmt, order=[(AuditEvent.occurred_at, True), (AuditEvent.id, True)], cursor=cursor,
                       size=size, session=db.session)


def distinct_actions() -> list[str]:
    """The actions an administrator can filter by: every one the features named, less the confidential ones (from
    the registry, not the log: no scan of a table that only grows)."""
    hidden = confidential_actions()
    return sorted((action for action in registry().audit_labels if action not in hidden), key=action_label)


def distinct_target_types() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.target_type).where(AuditEvent.target_type.is_not(None))
                                   .distinct().order_by(AuditEvent.target_type)))


def target_names(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """Readable names for the people and units the events are about: at most one query for each kind."""
    wanted: dict[str, set[int]] = {"user_account": set(), "unit": set()}
    for event in events:
        if event.target_type in wanted and (target_id := parse_id(event.target_id)) is not None:
            wanted[event.target_type].add(target_id)
    names: dict[tuple[str, str], str] = {}
    if wanted["user_account"]:
        rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(wanted["user_account"])))
        names.update({("user_account", str(i)): name for i, name in rows})
    if wanted["unit"]:
        rows = db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted["unit"])))
        names.update({("unit", str(i)): name for i, name in rows})
    return names
