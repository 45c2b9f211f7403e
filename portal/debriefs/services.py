"""De-brief requests: ask, route, claim, hold, check in, close; the rota and HR's settings.

Services take the acting person as a parameter, raise DomainError/Conflict with readable messages, and flush; the
caller commits. Nothing confidential (kind, note, contact detail, session note) goes into a notification, an
audit detail or a log line.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.common.roles import Role
from portal.common.workflow import move_state
from portal.db import utcnow
from portal.debriefs import routing
from portal.debriefs.models import (
    DebriefRecipient,
    DebriefRequest,
    DebriefSettings,
    DebriefState,
    DutySupporter,
    RecipientReason,
    UnitLead,
    Urgency,
)
from portal.debriefs.signposting import DEFAULT_SIGNPOSTING
from portal.extensions import db
from portal.notifications.jobs import cancel_jobs, schedule_job
from portal.notifications.kinds import notification_kind
from portal.notifications.models import Channel
from portal.notifications.services import notify
from portal.org.models import Unit

GROUP = _l("De-briefs")
REQUESTED_KIND = notification_kind("debriefs.requested", _l("When someone asks for a de-brief you could pick up"),
                                   default=Channel.EMAIL, group=GROUP, for_roles=[Role.SUPPORTER], confidential=True)
UNCLAIMED_KIND = notification_kind("debriefs.unclaimed", _l("When a de-brief request has not been picked up"),
                                   default=Channel.EMAIL, group=GROUP, confidential=True)
CLAIMED_KIND = notification_kind("debriefs.claimed", _l("When a supporter picks up your de-brief request"),
                                 default=Channel.EMAIL, group=GROUP, confidential=True)
FOLLOW_UP_KIND = notification_kind("debriefs.follow_up", _l("When a de-brief check-in is due"), default=Channel.EMAIL,
                                   group=GROUP, for_roles=[Role.SUPPORTER], confidential=True)

KINDS = (REQUESTED_KIND, UNCLAIMED_KIND, CLAIMED_KIND, FOLLOW_UP_KIND)

ESCALATE_JOB = "debriefs.escalate"
FOLLOW_UP_JOB = "debriefs.follow_up"
RETENTION_JOB = "debriefs.retention"
FOLLOW_UPS = {"72h": timedelta(hours=72), "1m": timedelta(days=30)}


def current_settings() -> DebriefSettings:
    """HR's settings, or the defaults when HR has not saved any yet (not added to the session)."""
    found = db.session.get(DebriefSettings, 1)
    if found is not None:
        return found
    return DebriefSettings(id=1, signposting=DEFAULT_SIGNPOSTING, fallback_contact_id=None,
                           claim_minutes_this_shift=60, claim_minutes_72_hours=8 * 60,
                           claim_minutes_this_week=24 * 60,
                           retention_days=current_app.config["PEER_SUPPORT_RETENTION_DAYS"])


def save_settings(*, actor: User, signposting: str, fallback_contact_id: int | None, claim_minutes_this_shift: int,
                  claim_minutes_72_hours: int, claim_minutes_this_week: int, retention_days: int) -> DebriefSettings:
    """HR only (the view checks the role). The fallback contact must be an active supporter."""
    if fallback_contact_id is not None:
        contact = db.session.get(User, fallback_contact_id)
        if contact is None or not contact.is_active_account or not contact.has_role(Role.SUPPORTER):
            raise DomainError(_("Choose an active supporter."), field="fallback_contact_id")
    settings = db.session.get(DebriefSettings, 1)
    if settings is None:
        settings = DebriefSettings(id=1)
        db.session.add(settings)
    settings.signposting = signposting.strip()
    settings.fallback_contact_id = fallback_contact_id
    settings.claim_minutes_this_shift = claim_minutes_this_shift
    settings.claim_minutes_72_hours = claim_minutes_72_hours
    settings.claim_minutes_this_week = claim_minutes_this_week
    settings.retention_days = retention_days
    db.session.flush()
    record_event("debrief.settings_changed", actor=actor, target=settings)
    return settings


# --- asking ----------------------------------------------------------------------------------------------------

def _by_key(requester: User, key: str | None) -> DebriefRequest | None:
    if not key:
        return None
    return db.session.scalar(select(DebriefRequest).where(DebriefRequest.idempotency_key == key,
                                                          DebriefRequest.requester_id == requester.id))


def create_request(*, requester: User, urgency: Urgency, contact_method: str, contact_detail: str,
                   kind: str | None = None, note: str | None = None, idempotency_key: str | None = None,
                   now: datetime | None = None) -> DebriefRequest:
    """Anyone signed in. Tells the nearest duty supporters (or the fallback) and schedules the escalation.

    The same ``idempotency_key`` again (a double click) returns the first request and tells nobody twice.
    """
    now = now or utcnow()
    existing = _by_key(requester, idempotency_key)
    if existing is not None:
        return existing
    settings = current_settings()
    request = DebriefRequest(idempotency_key=idempotency_key or None,
        requester_id=requester.id, unit_id=requester.unit_id, urgency=Urgency(urgency),
        contact_method=contact_method, contact_detail=contact_detail.strip() or None, kind=kind or None,
        note=(note or "").strip() or None, created_at=now, state=DebriefState.OPEN,
        respond_by=now + timedelta(minutes=settings.claim_minutes(urgency)),
    )
    try:
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError:  # its twin got there first
        twin = _by_key(requester, idempotency_key)
        if twin is None:  # a key someone else already used: a copied or replayed form, not a double click
            raise Conflict(_("This form was already sent. Go back, reload the page and ask again.")) from None
        return twin
    unit = requester.unit
    routed_unit_id, supporters = routing.nearest_duty_supporters(routing.chain_up(unit), exclude_id=requester.id)
    request.routed_unit_id = routed_unit_id
    if supporters:
        _tell(request, supporters, RecipientReason.DUTY, unit)
    else:
        _fall_back(request, settings, unit)
    _schedule_escalation(request)
    record_event("debrief.requested", actor=requester, target=request, urgency=request.urgency)
    db.session.flush()
    return request


def _tell(request: DebriefRequest, people: list[User], reason: RecipientReason, unit: Unit) -> list[User]:
    """Add people who have not been told yet, and tell them (no confidential content). Returns who was new."""
    already = {r.user_id for r in request.recipients}
    new = [p for p in people if p.id not in already and p.id != request.requester_id]
    for person in new:
        request.recipients.append(DebriefRecipient(user_id=person.id, reason=reason))
        if person.has_role(Role.SUPPORTER):
            notify(recipient=person, kind="debriefs.requested",
                   subject=_l("Someone in %(unit)s has asked for a de-brief", unit=unit.name),
                   body=_l("Pick it up from your de-brief queue. The first supporter to claim it looks after it."),
                   url="/debriefs/queue")
        else:
            notify(recipient=person, kind="debriefs.unclaimed",
                   subject=_l("Someone in %(unit)s has asked for a de-brief and nobody has picked it up",
                              unit=unit.name),
                   body=_l("Please make sure a supporter picks it up, and check the de-brief rota."),
                   url="/debriefs/rota" if person.has_any_role((Role.HR, Role.ADMIN)) else "/")
    db.session.flush()
    return new


def _fall_back(request: DebriefRequest, settings: DebriefSettings, unit: Unit) -> list[User]:
    contact = settings.fallback_contact
    if contact is not None and contact.is_active_account and contact.id != request.requester_id:
        return _tell(request, [contact], RecipientReason.FALLBACK, unit)
    return _tell(request, routing.hr_people(exclude_id=request.requester_id), RecipientReason.FALLBACK, unit)


def _schedule_escalation(request: DebriefRequest) -> None:
    schedule_job(kind=ESCALATE_JOB, run_at=request.respond_by,
                 payload={"request_id": request.id, "level": request.escalation_level},
                 dedupe_key=f"debrief:{request.id}:escalate:{request.escalation_level}")


def escalate_request(*, request: DebriefRequest, level: int, now: datetime) -> bool:
    """The job: still unclaimed at ``level`` → tell the duty supporters one level further up and the unit's lead;
    nobody new → HR's named contact. Keeps escalating while it finds someone new. Idempotent."""
    # Lock the row and re-read it: a claim committing right now must not be followed by "nobody has picked it up".
    db.session.refresh(request, with_for_update=True)
    if request.state != DebriefState.OPEN or request.escalation_level != level:
        return False
    settings = current_settings()
    unit = request.unit
    above = routing.units_above(request.routed_unit_id, unit) if request.routed_unit_id else []
    routed_unit_id, wider = routing.nearest_duty_supporters(above, exclude_id=request.requester_id)
    told = []
    if wider:
        request.routed_unit_id = routed_unit_id
        told += _tell(request, wider, RecipientReason.ESCALATION, unit)
    lead = routing.nearest_lead(unit, exclude_id=request.requester_id)
    if lead is not None:
        told += _tell(request, [lead], RecipientReason.LEAD, unit)
    if not wider:
        told += _fall_back(request, settings, unit)
    request.escalation_level = level + 1
    request.respond_by = now + timedelta(minutes=settings.claim_minutes(request.urgency))
    if told:
        _schedule_escalation(request)
    record_event("debrief.escalated", target=request, level=level + 1, told=len(told))
    db.session.flush()
    return True


# --- claiming and after ----------------------------------------------------------------------------------------

def claim_request(*, request: DebriefRequest, supporter: User, now: datetime | None = None) -> DebriefRequest:
    """A supporter who was told about it. One conditional UPDATE decides the race; the loser hears who won."""
    now = now or utcnow()
    result = db.session.execute(
        update(DebriefRequest)
        .where(DebriefRequest.id == request.id, DebriefRequest.state == DebriefState.OPEN)
        .values(state=DebriefState.CLAIMED, claimed_by_id=supporter.id, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(request)
    if result.rowcount != 1:
        if request.claimed_by is not None:
            raise Conflict(_("Already claimed by %(name)s.", name=request.claimed_by.display_name))
        raise InvalidTransition(_("This request is no longer waiting for a supporter."))
    cancel_jobs(dedupe_key_prefix=f"debrief:{request.id}:escalate:")
    notify(recipient=request.requester, kind="debriefs.claimed",
           subject=_l("%(name)s has picked up your de-brief request", name=supporter.display_name),
           body=_l("They will get in touch the way you asked."), url=f"/debriefs/{request.id}")
    record_event("debrief.claimed", actor=supporter, target=request)
    return request


def _move(request: DebriefRequest, *, expected: tuple[DebriefState, ...], to: DebriefState, **values) -> None:
    if not move_state(request, column="state", expected=expected, to=to, **values):
        raise InvalidTransition(_("This de-brief has moved on (it is now: %(state)s). Reload the page.",
                                  state=request.state.label))


def record_held(*, request: DebriefRequest, supporter: User, session_note: str = "",
                now: datetime | None = None) -> DebriefRequest:
    """The claiming supporter: the de-brief took place. Schedules the 72-hour and 1-month check-in reminders."""
    now = now or utcnow()
    _move(request, expected=(DebriefState.CLAIMED,), to=DebriefState.HELD, held_at=now,
          session_note=session_note.strip() or None)
    for key, delay in FOLLOW_UPS.items():
        schedule_job(kind=FOLLOW_UP_JOB, run_at=now + delay, payload={"request_id": request.id, "which": key},
                     dedupe_key=f"debrief:{request.id}:follow-up:{key}")
    record_event("debrief.held", actor=supporter, target=request)
    return request


def record_check_in(*, request: DebriefRequest, supporter: User, now: datetime | None = None) -> DebriefRequest:
    now = now or utcnow()
    _move(request, expected=(DebriefState.HELD, DebriefState.FOLLOW_UPS), to=DebriefState.FOLLOW_UPS,
          last_check_in_at=now, check_in_count=DebriefRequest.check_in_count + 1)
    record_event("debrief.checked_in", actor=supporter, target=request)
    return request


def close_request(*, request: DebriefRequest, supporter: User, now: datetime | None = None) -> DebriefRequest:
    now = now or utcnow()
    _move(request, expected=(DebriefState.FOLLOW_UPS,), to=DebriefState.CLOSED, closed_at=now)
    cancel_jobs(dedupe_key_prefix=f"debrief:{request.id}:")
    record_event("debrief.closed", actor=supporter, target=request)
    return request


def remind_follow_up(*, request: DebriefRequest, which: str) -> bool:
    """The job: remind the supporter of a check-in that is due (only while the de-brief is still being followed)."""
    if request.state not in (DebriefState.HELD, DebriefState.FOLLOW_UPS) or request.claimed_by is None:
        return False
    subject = (_l("A 72-hour check-in is due") if which == "72h" else _l("A 1-month check-in is due"))
    notify(recipient=request.claimed_by, kind="debriefs.follow_up", subject=subject,
           body=_l("Check in with the colleague you de-briefed, then record that you did."),
           url=f"/debriefs/{request.id}")
    return True


def note_read(*, request: DebriefRequest, reader: User) -> None:
    """Every read of confidential content is audited."""
    record_event("debrief.read", actor=reader, target=request)


# --- retention -------------------------------------------------------------------------------------------------

def erase_old_content(*, now: datetime) -> int:
    """Blank the confidential columns of requests *closed* longer ago than HR's retention period (a de-brief still
    being followed up keeps its words, however old); the rows, and so every count, stay."""
    cutoff = now - timedelta(days=current_settings().retention_days)
    result = db.session.execute(
        update(DebriefRequest)
        .where(DebriefRequest.state == DebriefState.CLOSED, DebriefRequest.closed_at < cutoff,
               DebriefRequest.content_erased_at.is_(None))
        .values(kind=None, note=None, contact_detail=None, session_note=None, content_erased_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        record_event("debrief.content_erased", count=result.rowcount)
    return result.rowcount


# --- the rota --------------------------------------------------------------------------------------------------

def add_duty_supporter(*, actor: User, unit: Unit, person: User) -> DutySupporter:
    if not person.has_role(Role.SUPPORTER) or not person.is_active_account:
        raise DomainError(_("%(name)s is not an active supporter.", name=person.display_name), field="user_id")
    if not routing.offers_debriefs(person):
        raise DomainError(_("%(name)s does not offer de-briefs. Only supporters who offer de-briefs in their profile "
                            "can go on duty.", name=person.display_name), field="user_id")
    existing = db.session.scalar(select(DutySupporter).where(DutySupporter.unit_id == unit.id,
                                                             DutySupporter.user_id == person.id))
    if existing is not None:
        raise Conflict(_("%(name)s is already on duty for %(unit)s.", name=person.display_name, unit=unit.name),
                       field="user_id")
    duty = DutySupporter(unit_id=unit.id, user_id=person.id)
    db.session.add(duty)
    db.session.flush()
    record_event("debrief.duty_added", actor=actor, target=duty, unit_id=unit.id, user_id=person.id)
    return duty


def remove_duty_supporter(*, actor: User, duty: DutySupporter) -> None:
    record_event("debrief.duty_removed", actor=actor, target=duty, unit_id=duty.unit_id, user_id=duty.user_id)
    db.session.delete(duty)
    db.session.flush()


def set_unit_lead(*, actor: User, unit: Unit, person: User | None) -> None:
    db.session.execute(delete(UnitLead).where(UnitLead.unit_id == unit.id))
    if person is not None:
        if not person.is_active_account:
            raise DomainError(_("%(name)s's account is not active.", name=person.display_name), field="email")
        db.session.add(UnitLead(unit_id=unit.id, user_id=person.id))
    db.session.flush()
    record_event("debrief.lead_set", actor=actor, target=unit, user_id=getattr(person, "id", None))
