"""Due-date reminders to the panel and escalation to HR, run by the notifications worker.

Both are scheduled when a scheme is created or its decision date changes. Each records the due date it went out
for with a conditional UPDATE, so a retried job sends nothing twice, and a job for an outdated date does nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, or_, select, update

from portal.auth.models import User, UserRole
from portal.awards.models import OPEN_STATES, AwardPanelMember, AwardScheme, Nomination, NominationState
from portal.awards.services import ESCALATED, PANEL
from portal.common.roles import Role
from portal.extensions import db
from portal.notifications.services import notify


def _day(value: date) -> LazyString:
    """"Fri 12 Dec 2026", as every date in Frontline is written, in the recipient's language."""
    return LazyString(lambda: format_date(value, "EEE d MMM yyyy"))

REMIND = "awards.panel_reminder"
ESCALATE = "awards.escalate_overdue"


def _claim(scheme_id: int, due: date, column) -> AwardScheme | None:
    """Mark the scheme as handled for ``due``; None if it already was, or the due date has moved."""
    result = db.session.execute(
        update(AwardScheme).where(AwardScheme.id == scheme_id, AwardScheme.decision_due_on == due,
                                  or_(column.is_(None), column != due))
        .values({column.key: due}).execution_options(synchronize_session=False))
    return db.session.get(AwardScheme, scheme_id) if result.rowcount == 1 else None


def _waiting(scheme_id: int, states) -> int:
    return db.session.scalar(select(func.count()).select_from(Nomination).where(
        Nomination.scheme_id == scheme_id, Nomination.state.in_(states)))


def remind_panel(payload: dict, now: datetime) -> None:
    due = date.fromisoformat(payload["due"])
    scheme = _claim(payload["scheme_id"], due, AwardScheme.reminded_for)
    if scheme is None:
        return
    waiting = _waiting(scheme.id, [NominationState.IN_REVIEW])
    if not waiting:
        return
    members = db.session.scalars(select(User).join(AwardPanelMember, AwardPanelMember.user_id == User.id)
                                 .where(AwardPanelMember.scheme_id == scheme.id, User.is_active_account.is_(True)))
    for member in members:
        notify(recipient=member, kind=PANEL, url=f"/awards/panel/schemes/{scheme.id}",
               subject=_l("Award decisions for %(scheme)s are due soon", scheme=scheme.name),
               body=_l("%(count)s nominations are waiting for the panel. Decisions are due on %(due)s.",
                       count=waiting, due=_day(due)))


def escalate_overdue(payload: dict, now: datetime) -> None:
    due = date.fromisoformat(payload["due"])
    scheme = _claim(payload["scheme_id"], due, AwardScheme.escalated_for)
    if scheme is None:
        return
    waiting = _waiting(scheme.id, OPEN_STATES)
    if not waiting:
        return
    hr_people = db.session.scalars(select(User).join(UserRole, UserRole.user_id == User.id)
                                   .where(UserRole.role == Role.HR.value, User.is_active_account.is_(True)))
    for person in hr_people:
        notify(recipient=person, kind=ESCALATED, url=f"/awards/schemes/{scheme.id}",
               subject=_l("Award decisions for %(scheme)s are overdue", scheme=scheme.name),
               body=_l("%(count)s nominations were not decided by %(due)s. Please follow up with the panel.",
                       count=waiting, due=_day(due)))


# What register() hands the worker: job kind → handler.
JOBS = {REMIND: remind_panel, ESCALATE: escalate_overdue}
