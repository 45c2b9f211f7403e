"""Award schemes (HR): create and change them, and schedule their due-date reminder and escalation jobs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.awards.jobs import ESCALATE, REMIND
from portal.awards.models import LONDON, AwardCategory, AwardPanelMember, AwardScheme, Nomination
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError
from portal.common.roles import Role
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.jobs import cancel_jobs, schedule_job

REMINDER_DAYS_BEFORE = 3


@dataclass
class CategoryDetails:
    name: str
    criteria: str


@dataclass
class SchemeDetails:
    name: str
    description: str
    opens_on: date
    closes_on: date
    decision_due_on: date
    needs_manager_endorsement: bool
    is_blind_review: bool
    needs_publicity_consent: bool
    categories: list[CategoryDetails] = field(default_factory=list)
    panel_member_ids: list[int] = field(default_factory=list)
    decision_quorum: int = 1


def _check_scheme(details: SchemeDetails) -> None:
    if not details.name.strip():
        raise DomainError(_("Enter the scheme's name."), field="name")
    if details.closes_on < details.opens_on:
        raise DomainError(_("The closing date must be on or after the opening date."), field="closes_on")
    if details.decision_due_on < details.closes_on:
        raise DomainError(_("Decisions must be due on or after the closing date."), field="decision_due_on")
    if not details.categories:
        raise DomainError(_("Add at least one category, with its criteria."), field="category_1_name")
    names = [c.name.strip().casefold() for c in details.categories]
    if len(set(names)) != len(names):
        raise DomainError(_("Give each category a different name."), field="category_1_name")
    if not details.panel_member_ids:
        raise DomainError(_("Choose at least one panel member."), field="panel")
    panel = db.session.scalars(select(User).where(User.id.in_(details.panel_member_ids))).all()
    if len(panel) != len(set(details.panel_member_ids)) or not all(p.has_role(Role.PANEL) for p in panel):
        raise DomainError(_("Panel members must hold the award panel role."), field="panel")
    if not 1 <= details.decision_quorum <= len(panel):
        raise DomainError(_("The number who must score before a decision must be between 1 and the number of panel "
                            "members (%(n)d).", n=len(panel)), field="decision_quorum")


def _apply_scheme(scheme: AwardScheme, details: SchemeDetails) -> None:
    for dropped in scheme.categories[len(details.categories):]:
        used = db.session.scalar(select(func.count()).select_from(Nomination)
                                 .where(Nomination.category_id == dropped.id)) if dropped.id else 0
        if used:
            raise DomainError(_("“%(name)s” already has nominations, so it can't be removed.", name=dropped.name),
                              field="category_1_name")
    for name in ("name", "description", "opens_on", "closes_on", "decision_due_on", "needs_manager_endorsement",
                 "is_blind_review", "needs_publicity_consent", "decision_quorum"):
        value = getattr(details, name)
        setattr(scheme, name, value.strip() if isinstance(value, str) else value)
    kept = scheme.categories[: len(details.categories)]
    for position, wanted in enumerate(details.categories):
        if position < len(kept):
            kept[position].name, kept[position].criteria = wanted.name.strip(), wanted.criteria.strip()
        else:
            kept.append(AwardCategory(name=wanted.name.strip(), criteria=wanted.criteria.strip(), position=position))
    scheme.categories = kept
    for position, category in enumerate(scheme.categories):
        category.position = position
    wanted_ids = set(details.panel_member_ids)
    scheme.panel_rows = [row for row in scheme.panel_rows if row.user_id in wanted_ids]
    for user_id in sorted(wanted_ids - scheme.panel_member_ids):
        scheme.panel_rows.append(AwardPanelMember(user_id=user_id))


def _at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=LONDON).astimezone(ZoneInfo("UTC"))


def _schedule_deadline_jobs(scheme: AwardScheme) -> None:
    prefix = f"awards:scheme:{scheme.id}:"
    cancel_jobs(dedupe_key_prefix=prefix)
    stamp = utcnow().strftime("%Y%m%d%H%M%S%f")
    due = scheme.decision_due_on
    schedule_job(kind=REMIND, run_at=_at_nine(due - timedelta(days=REMINDER_DAYS_BEFORE)),
                 payload={"scheme_id": scheme.id, "due": due.isoformat()}, dedupe_key=f"{prefix}remind:{stamp}")
    schedule_job(kind=ESCALATE, run_at=_at_nine(due + timedelta(days=1)),
                 payload={"scheme_id": scheme.id, "due": due.isoformat()}, dedupe_key=f"{prefix}escalate:{stamp}")


def _created_with(actor: User, key: str | None) -> AwardScheme | None:
    if not key:
        return None
    return db.session.scalar(select(AwardScheme).where(AwardScheme.idempotency_key == key,
                                                       AwardScheme.created_by_id == actor.id))


def create_scheme(*, details: SchemeDetails, actor: User, idempotency_key: str | None = None) -> AwardScheme:
    """HR creates a scheme. Raises DomainError naming the field at fault.

    The same ``idempotency_key`` again from the same person (a double click) returns the first scheme; a key someone
    else used (a copied form) is a Conflict.
    """
    existing = _created_with(actor, idempotency_key)
    if existing is not None:
        return existing
    _check_scheme(details)
    scheme = AwardScheme(created_by_id=actor.id, idempotency_key=idempotency_key or None)
    _apply_scheme(scheme, details)
    try:
        with db.session.begin_nested():
            db.session.add(scheme)
    except IntegrityError:  # its twin got there first
        twin = _created_with(actor, idempotency_key)
        if twin is None:  # a key someone else already used: a copied or replayed form, not a double click
            message = _("This form was already sent. Go back, reload the page and create the scheme again.")
            raise Conflict(message) from None
        return twin
    _schedule_deadline_jobs(scheme)
    record_event("awards.scheme_created", actor=actor, target=scheme, name=scheme.name)
    return scheme


def update_scheme(*, scheme: AwardScheme, details: SchemeDetails, actor: User) -> AwardScheme:
    """HR changes a scheme. Categories with nominations cannot be removed."""
    _check_scheme(details)
    due_before = scheme.decision_due_on
    _apply_scheme(scheme, details)
    db.session.flush()
    if scheme.decision_due_on != due_before:
        _schedule_deadline_jobs(scheme)
    record_event("awards.scheme_updated", actor=actor, target=scheme, name=scheme.name)
    return scheme
