"""Insight test data: rows with the timestamps a test needs. Thank-yous go through recognition's own service; the
peer-support rows are made directly (their services stamp "now", and the figures are about months), with the
confidential words filled in so tests can prove no page or file shows them."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta

from portal.awards.models import Nomination
from portal.debriefs.models import ContactMethod, DebriefKind, DebriefRequest, DebriefState, Urgency
from portal.extensions import db
from portal.mentoring.models import Mentoring, MentoringState
from portal.support.models import Booking, BookingStatus, SupportKind, SupportSession
from tests.factories import UserFactory

SECRET = "SECRET-WORDS-{}"  # every confidential field gets one of these, numbered
_numbers = itertools.count()


def secret() -> str:
    return SECRET.format(next(_numbers))


def utc(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def booking(booker, *, at: datetime, kind: SupportKind = SupportKind.CLINICAL, supporter=None,
            status: BookingStatus = BookingStatus.ATTENDED) -> Booking:
    supporter = supporter or UserFactory(supporter=True)
    session = SupportSession(supporter_id=supporter.id, kind=kind, starts_at=at, ends_at=at + timedelta(minutes=50),
                             capacity=1, booked_count=1, is_active=status != BookingStatus.CANCELLED)
    db.session.add(session)
    db.session.flush()
    row = Booking(session_id=session.id, supporter_id=supporter.id, booker_id=booker.id, kind=kind, starts_at=at,
                  ends_at=at + timedelta(minutes=50), status=status, idempotency_key=uuid.uuid4().hex,
                  calendar_uid=f"{uuid.uuid4()}@test", reason=secret(), reflections=secret(),
                  session_notes=secret(), cancel_reason=secret() if status == BookingStatus.CANCELLED else "")
    db.session.add(row)
    db.session.flush()
    return row


def debrief(requester, *, at: datetime, claimed_after: timedelta | None = None, supporter=None,
            unit=None) -> DebriefRequest:
    claimer = (supporter or UserFactory(supporter=True)) if claimed_after is not None else None
    row = DebriefRequest(requester_id=requester.id, unit_id=(unit or requester.unit).id, urgency=Urgency.THIS_SHIFT,
                         contact_method=ContactMethod.PHONE, kind=DebriefKind.BEREAVEMENT, note=secret(),
                         contact_detail=secret(), session_note=secret() if claimer else None, created_at=at,
                         respond_by=at + timedelta(hours=1),
                         state=DebriefState.CLAIMED if claimer else DebriefState.OPEN,
                         claimed_by_id=claimer.id if claimer else None,
                         claimed_at=at + claimed_after if claimer else None)
    db.session.add(row)
    db.session.flush()
    return row


def mentoring(mentee, *, asked: datetime, accepted: datetime | None = None, ended: datetime | None = None,
              mentor=None, state: MentoringState | None = None) -> Mentoring:
    if state is None:
        state = MentoringState.ENDED if ended else MentoringState.ACTIVE if accepted else MentoringState.REQUESTED
    row = Mentoring(mentee_id=mentee.id, mentor_id=(mentor or UserFactory(supporter=True)).id, state=state,
                    created_at=asked, respond_by=asked + timedelta(days=7), decided_at=accepted, ended_at=ended,
                    goals=secret(), agreement_goals=secret() if accepted else None,
                    first_check_note=secret() if accepted else None)
    db.session.add(row)
    db.session.flush()
    return row


def dated(nomination: Nomination, at: datetime) -> Nomination:
    nomination.created_at = at
    db.session.flush()
    return nomination
