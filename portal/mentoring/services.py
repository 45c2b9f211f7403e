"""Mentoring: ask a mentor, accept (within capacity) or decline, lapse, agree, check, end.

Mentors are read from the booking side's supporter profiles (portal.support): supporters whose profile offers
mentoring; capacity is the profile's ``mentee_capacity``. Services flush and raise ``DomainError``; they never commit
(the request's unit of work does).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.common.roles import Role
from portal.common.workflow import move_state
from portal.db import utcnow
from portal.debriefs.services import current_settings
from portal.extensions import db
from portal.mentoring.models import (
    HOLDING_STATES,
    OPEN_STATES,
    EndReason,
    Mentoring,
    MentoringState,
    MentorLoad,
)
from portal.mentoring.queries import mentor_profile
from portal.notifications.jobs import cancel_jobs, schedule_job
from portal.notifications.kinds import notification_kind
from portal.notifications.models import Channel
from portal.notifications.services import notify
from portal.support.models import SupporterProfile

LAPSE_JOB = "mentoring.lapse"
RETENTION_JOB = "mentoring.retention"
DEFAULT_LAPSE_DAYS = 7

GROUP = _l("Mentoring")
REQUESTED_KIND = notification_kind("mentoring.requested", _l("When someone asks you to be their mentor"),
                                   default=Channel.EMAIL, group=GROUP, for_roles=[Role.SUPPORTER], confidential=True)
ANSWERED_KIND = notification_kind("mentoring.answered", _l("When a mentor answers your request, or it lapses"),
                                  default=Channel.EMAIL, group=GROUP, confidential=True)
CHANGED_KIND = notification_kind("mentoring.changed", _l("When a mentoring agreement starts or ends"),
                                 default=Channel.EMAIL, group=GROUP, confidential=True)
KINDS = (REQUESTED_KIND, ANSWERED_KIND, CHANGED_KIND)


def lapse_days() -> int:
    return int(current_app.config.get("MENTORING_LAPSE_DAYS", DEFAULT_LAPSE_DAYS))


def _ensure_load(mentor_id: int) -> None:
    if db.session.get(MentorLoad, mentor_id) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(MentorLoad(mentor_id=mentor_id, active_mentees=0))
    except IntegrityError:  # another request made it first: it exists now, which is all we need
        pass


def _asked_with(mentee: User, key: str | None) -> Mentoring | None:
    if not key:
        return None
    return db.session.scalar(select(Mentoring).where(Mentoring.idempotency_key == key,
                                                     Mentoring.mentee_id == mentee.id))


def _key_used(key: str | None) -> bool:
    return bool(key) and db.session.scalar(select(exists().where(Mentoring.idempotency_key == key)))


def request_mentor(*, mentee: User, mentor: User, goals: str, idempotency_key: str | None = None,
                   now: datetime | None = None) -> Mentoring:
    """Anyone signed in may ask a mentor (not themselves; not twice while one request is open).

    The same ``idempotency_key`` again from the same mentee (a double click, a second tab) returns the first request,
    whatever has happened to it since, and tells the mentor once; a key someone else used (a copied form) is a
    Conflict.
    """
    now = now or utcnow()
    existing = _asked_with(mentee, idempotency_key)
    if existing is not None:
        return existing
    profile = mentor_profile(mentor.id)
    if profile is None or not profile.is_accepting:
        raise DomainError(_("%(name)s is not taking mentees at the moment. Choose another mentor.",
                            name=mentor.display_name))
    if mentor.id == mentee.id:
        raise DomainError(_("You cannot be your own mentor."))
    already_asked = Conflict(_("You have already asked %(name)s.", name=mentor.display_name))
    open_one = db.session.scalar(select(Mentoring.id).where(
        Mentoring.mentee_id == mentee.id, Mentoring.mentor_id == mentor.id,
        Mentoring.state.in_(OPEN_STATES)))
    if open_one is not None:
        raise already_asked
    _ensure_load(mentor.id)
    mentoring = Mentoring(mentee_id=mentee.id, mentor_id=mentor.id, goals=goals.strip() or None, created_at=now,
                          respond_by=now + timedelta(days=lapse_days()), state=MentoringState.REQUESTED,
                          idempotency_key=idempotency_key or None)
    try:
        with db.session.begin_nested():  # the key, and the open-pair unique index, catch a request sent twice at once
            db.session.add(mentoring)
    except IntegrityError:
        twin = _asked_with(mentee, idempotency_key)
        if twin is not None:  # the same form, sent twice
            return twin
        if _key_used(idempotency_key):  # a key someone else already used: a copied or replayed form
            raise Conflict(_("This form was already sent. Go back, reload the page and ask again.")) from None
        raise already_asked from None  # another form (another tab) asked the same mentor at the same moment
    schedule_job(kind=LAPSE_JOB, run_at=mentoring.respond_by, payload={"mentoring_id": mentoring.id},
                 dedupe_key=f"mentoring:{mentoring.id}:lapse")
    notify(recipient=mentor, kind="mentoring.requested",
           subject=_l("%(name)s has asked you to be their mentor", name=mentee.display_name),
           body=_l("Please accept or decline within %(days)s days.", days=lapse_days()),
           url=f"/mentoring/{mentoring.id}")
    record_event("mentoring.requested", actor=mentee, target=mentoring, mentor_id=mentor.id)
    return mentoring


def _move(mentoring: Mentoring, *, expected: tuple[MentoringState, ...], to: MentoringState, **values) -> None:
    if not move_state(mentoring, column="state", expected=expected, to=to, **values):
        raise InvalidTransition(_("This mentoring request has moved on (it is now: %(state)s). Reload the page.",
                                  state=mentoring.state.label))


def _take_place(mentor_id: int) -> None:
    """One conditional UPDATE: add a mentee only while the count is below the profile's capacity."""
    _ensure_load(mentor_id)
    capacity = (select(SupporterProfile.mentee_capacity)
                .where(SupporterProfile.user_id == mentor_id).scalar_subquery())
    result = db.session.execute(
        update(MentorLoad)
        .where(MentorLoad.mentor_id == mentor_id, MentorLoad.active_mentees < capacity)
        .values(active_mentees=MentorLoad.active_mentees + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("You have no space for another mentee. End a mentoring agreement, or raise your "
                         "capacity in your supporter profile, first."))


def _free_place(mentor_id: int) -> None:
    db.session.execute(
        update(MentorLoad).where(MentorLoad.mentor_id == mentor_id, MentorLoad.active_mentees > 0)
        .values(active_mentees=MentorLoad.active_mentees - 1).execution_options(synchronize_session=False)
    )


def accept_request(*, mentoring: Mentoring, mentor: User, now: datetime | None = None) -> Mentoring:
    """The mentor. Takes one of their places (refused when full) and moves requested → accepted."""
    now = now or utcnow()
    _ensure_load(mentor.id)
    with db.session.begin_nested():  # both or neither: a full mentor leaves the request as it was
        _move(mentoring, expected=(MentoringState.REQUESTED,), to=MentoringState.ACCEPTED, decided_at=now)
        _take_place(mentor.id)
    db.session.refresh(mentoring)
    cancel_jobs(dedupe_key_prefix=f"mentoring:{mentoring.id}:lapse")
    notify(recipient=mentoring.mentee, kind="mentoring.answered",
           subject=_l("%(name)s has agreed to mentor you", name=mentor.display_name),
           body=_l("Next, agree together what you want to work on, how often you will meet and for how long."),
           url=f"/mentoring/{mentoring.id}")
    record_event("mentoring.accepted", actor=mentor, target=mentoring)
    return mentoring


def decline_request(*, mentoring: Mentoring, mentor: User, now: datetime | None = None) -> Mentoring:
    now = now or utcnow()
    _move(mentoring, expected=(MentoringState.REQUESTED,), to=MentoringState.DECLINED, decided_at=now)
    cancel_jobs(dedupe_key_prefix=f"mentoring:{mentoring.id}:lapse")
    notify(recipient=mentoring.mentee, kind="mentoring.answered",
           subject=_l("%(name)s cannot mentor you at the moment", name=mentor.display_name),
           body=_l("Other mentors may be able to help. Have a look at who else is offering mentoring."),
           url="/mentoring/mentors")
    record_event("mentoring.declined", actor=mentor, target=mentoring)
    return mentoring


def lapse_request(*, mentoring: Mentoring, now: datetime) -> bool:
    """The job: no answer by ``respond_by`` → lapsed; the mentee is told and pointed at other mentors."""
    if mentoring.state != MentoringState.REQUESTED or mentoring.respond_by > now:
        return False
    _move(mentoring, expected=(MentoringState.REQUESTED,), to=MentoringState.LAPSED, decided_at=now)
    notify(recipient=mentoring.mentee, kind="mentoring.answered",
           subject=_l("Your mentoring request to %(name)s had no answer", name=mentoring.mentor.display_name),
           body=_l("Requests lapse after %(days)s days so you are not left waiting. Other mentors may be able "
                   "to help.", days=lapse_days()),
           url=f"/mentoring/mentors?exclude={mentoring.mentor_id}")
    record_event("mentoring.lapsed", target=mentoring)
    return True


def record_agreement(*, mentoring: Mentoring, actor: User, goals: str, frequency: str, length: str,
                     now: datetime | None = None) -> Mentoring:
    """The mentee or the mentor: what you will work on, how often, for how long. accepted/active → active."""
    now = now or utcnow()
    first = mentoring.state == MentoringState.ACCEPTED
    _move(mentoring, expected=HOLDING_STATES, to=MentoringState.ACTIVE, agreement_goals=goals.strip(),
          agreement_frequency=frequency.strip(), agreement_length=length.strip(), agreed_at=now)
    if first:
        other = mentoring.mentor if actor.id == mentoring.mentee_id else mentoring.mentee
        notify(recipient=other, kind="mentoring.changed",
               subject=_l("Your mentoring agreement with %(name)s is in place", name=actor.display_name),
               url=f"/mentoring/{mentoring.id}")
    record_event("mentoring.agreed", actor=actor, target=mentoring)
    return mentoring


def record_first_check(*, mentoring: Mentoring, actor: User, note: str, now: datetime | None = None) -> Mentoring:
    """Optional, once, after the first session: how is it going?"""
    now = now or utcnow()
    result = db.session.execute(
        update(Mentoring).where(Mentoring.id == mentoring.id, Mentoring.state == MentoringState.ACTIVE,
                                Mentoring.first_check_at.is_(None))
        .values(first_check_note=note.strip(), first_check_at=now).execution_options(synchronize_session=False))
    db.session.refresh(mentoring)
    if result.rowcount != 1:
        raise InvalidTransition(_("The check after the first session has already been recorded."))
    record_event("mentoring.first_check", actor=actor, target=mentoring)
    return mentoring


def end_mentoring(*, mentoring: Mentoring, actor: User, reason: EndReason, now: datetime | None = None) -> Mentoring:
    """The mentee or the mentor, with a reason. Frees the mentor's place."""
    now = now or utcnow()
    _move(mentoring, expected=HOLDING_STATES, to=MentoringState.ENDED, ended_at=now, end_reason=EndReason(reason))
    _free_place(mentoring.mentor_id)
    other = mentoring.mentor if actor.id == mentoring.mentee_id else mentoring.mentee
    notify(recipient=other, kind="mentoring.changed",
           subject=_l("%(name)s has ended your mentoring agreement", name=actor.display_name),
           url=f"/mentoring/{mentoring.id}")
    # Why it ended is part of the confidential record: the audit log (read by admins) says only that it ended.
    record_event("mentoring.ended", actor=actor, target=mentoring)
    return mentoring


def note_read(*, mentoring: Mentoring, reader: User) -> None:
    record_event("mentoring.read", actor=reader, target=mentoring)


def erase_old_content(*, now: datetime) -> int:
    """Blank goals, agreements and check notes of mentorings that *ended* longer ago than HR's retention period
    (ended, declined or lapsed — never one still asked for or active, however old); rows and counts stay."""
    cutoff = now - timedelta(days=current_settings().retention_days)
    ended_long_ago = or_(
        and_(Mentoring.state == MentoringState.ENDED, Mentoring.ended_at < cutoff),
        and_(Mentoring.state.in_([MentoringState.DECLINED, MentoringState.LAPSED]), Mentoring.decided_at < cutoff),
    )
    result = db.session.execute(
        update(Mentoring)
        .where(ended_long_ago, Mentoring.content_erased_at.is_(None))
        .values(goals=None, agreement_goals=None, agreement_frequency=None, agreement_length=None,
                first_check_note=None, content_erased_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        record_event("mentoring.content_erased", count=result.rowcount)
    return result.rowcount
