"""The peer-support part of a subject access export: the person's own bookings, de-briefs and mentoring, with the
confidential words they wrote — and never the other person's private notes.

Who wrote what: a booking's reason and reflections are the booker's, its session notes the supporter's, its
cancellation reason whoever cancelled; a de-brief's kind, note and contact detail are the requester's, its session
note the supporter's; a mentoring request's goals are the mentee's, and the agreement and the check after the first
session belong to both (either of them records them, both read them).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.debriefs.models import DebriefRequest
from portal.extensions import db
from portal.mentoring.models import Mentoring
from portal.privacy.records import Section
from portal.support.models import AvailabilityException, Booking, SupporterProfile, WeeklyHours


def _booking_fields() -> list[tuple[str, str]]:
    return [("starts_at", _("When")), ("kind", _("Kind")), ("with", _("With")), ("status", _("Status")),
            ("reason", _("What you wanted to talk about")), ("reflections", _("Your reflections")),
            ("session_notes", _("Your session notes")), ("cancel_reason", _("Why you cancelled"))]


def bookings_made(person: User) -> Section:
    rows = db.session.scalars(select(Booking).where(Booking.booker_id == person.id)
                              .order_by(Booking.starts_at, Booking.id))
    items = [{"booking_id": b.id, "starts_at": b.starts_at, "ends_at": b.ends_at, "kind": b.kind,
              "with": b.supporter.display_name, "status": b.status, "reason": b.reason,
              "reflections": b.reflections,
              "cancel_reason": b.cancel_reason if b.cancelled_by_id == person.id else ""} for b in rows]
    return Section("bookings", _("Support sessions you booked"), _booking_fields(), items,
                   about=_("Your supporter's session notes are their record, so they are not included."))


def sessions_given(person: User) -> Section:
    rows = db.session.scalars(select(Booking).where(Booking.supporter_id == person.id)
                              .order_by(Booking.starts_at, Booking.id))
    items = [{"booking_id": b.id, "starts_at": b.starts_at, "ends_at": b.ends_at, "kind": b.kind,
              "with": b.booker.display_name, "status": b.status, "session_notes": b.session_notes,
              "cancel_reason": b.cancel_reason if b.cancelled_by_id == person.id else ""} for b in rows]
    return Section("sessions_given", _("Support sessions you gave"), _booking_fields(), items,
                   about=_("What the people you supported wrote is theirs, so it is not included."))


def _debrief_fields() -> list[tuple[str, str]]:
    return [("created_at", _("Asked")), ("state", _("Where it is")), ("urgency", _("How soon")),
            ("kind", _("What happened")), ("note", _("What you wrote")), ("contact_method", _("How to reach you")),
            ("contact_detail", _("Your contact detail")), ("with", _("With")), ("claimed_at", _("Picked up")),
            ("session_note", _("Your session note")), ("closed_at", _("Closed"))]


def debriefs_asked(person: User) -> Section:
    rows = db.session.scalars(select(DebriefRequest).where(DebriefRequest.requester_id == person.id)
                              .options(joinedload(DebriefRequest.claimed_by))
                              .order_by(DebriefRequest.created_at, DebriefRequest.id))
    items = [{"request_id": r.id, "created_at": r.created_at, "state": r.state, "urgency": r.urgency, "kind": r.kind,
              "note": r.note, "contact_method": r.contact_method, "contact_detail": r.contact_detail,
              "with": r.claimed_by.display_name if r.claimed_by else None, "claimed_at": r.claimed_at,
              "closed_at": r.closed_at} for r in rows]
    return Section("debriefs", _("De-briefs you asked for"), _debrief_fields(), items,
                   about=_("The supporter's session note is their record, so it is not included."))


def debriefs_supported(person: User) -> Section:
    rows = db.session.scalars(select(DebriefRequest).where(DebriefRequest.claimed_by_id == person.id)
                              .options(joinedload(DebriefRequest.requester))
                              .order_by(DebriefRequest.created_at, DebriefRequest.id))
    items = [{"request_id": r.id, "created_at": r.created_at, "state": r.state, "urgency": r.urgency,
              "with": r.requester.display_name, "claimed_at": r.claimed_at, "session_note": r.session_note,
              "closed_at": r.closed_at} for r in rows]
    return Section("debriefs_supported", _("De-briefs you picked up"), _debrief_fields(), items,
                   about=_("What the person who asked wrote is theirs, so it is not included."))


def _mentoring_fields() -> list[tuple[str, str]]:
    return [("created_at", _("Asked")), ("with", _("With")), ("state", _("Where it is")),
            ("goals", _("What you asked for help with")), ("agreement_goals", _("What you will work on")),
            ("agreement_frequency", _("How often")), ("agreement_length", _("For how long")),
            ("first_check_note", _("After the first session")), ("ended_at", _("Ended")),
            ("end_reason", _("Why it ended"))]


def _mentoring(m: Mentoring, other: User, *, mentee: bool) -> dict:
    return {"mentoring_id": m.id, "created_at": m.created_at, "with": other.display_name, "state": m.state,
            "goals": m.goals if mentee else None, "agreement_goals": m.agreement_goals,
            "agreement_frequency": m.agreement_frequency, "agreement_length": m.agreement_length,
            "first_check_note": m.first_check_note, "ended_at": m.ended_at, "end_reason": m.end_reason}


def mentoring_as_mentee(person: User) -> Section:
    rows = db.session.scalars(select(Mentoring).where(Mentoring.mentee_id == person.id)
                              .options(joinedload(Mentoring.mentor)).order_by(Mentoring.created_at, Mentoring.id))
    return Section("mentoring", _("Mentoring you asked for"), _mentoring_fields(),
                   [_mentoring(m, m.mentor, mentee=True) for m in rows])


def mentoring_as_mentor(person: User) -> Section:
    rows = db.session.scalars(select(Mentoring).where(Mentoring.mentor_id == person.id)
                              .options(joinedload(Mentoring.mentee)).order_by(Mentoring.created_at, Mentoring.id))
    return Section("mentoring_given", _("People you mentor or mentored"), _mentoring_fields(),
                   [_mentoring(m, m.mentee, mentee=False) for m in rows],
                   about=_("What your mentees asked for help with is theirs, so it is not included."))


def supporter_profile(person: User) -> Section:
    profile = db.session.get(SupporterProfile, person.id)
    hours = db.session.scalars(select(WeeklyHours).where(WeeklyHours.supporter_id == person.id)
                               .order_by(WeeklyHours.weekday, WeeklyHours.start_time))
    days_off = db.session.scalars(select(AvailabilityException).where(AvailabilityException.supporter_id == person.id)
                                  .order_by(AvailabilityException.first_day))
    items = []
    if profile is not None:
        items.append({"what": _("Your supporter profile"), "about": profile.about, "experience": profile.experience,
                      "detail": [x for x in (profile.room, profile.phone, profile.video_link) if x]})
    items += [{"what": _("Weekly hours"), "detail": [h.kind, f"{h.weekday}", f"{h.start_time:%H:%M}",
                                                     f"{h.end_time:%H:%M}"]} for h in hours]
    items += [{"what": _("Days off"), "detail": [x for x in (d.first_day, d.last_day, d.label) if x]}
              for d in days_off]
    return Section("supporter_profile", _("Your supporter profile and hours"), [
        ("what", _("What")), ("about", _("About you")), ("experience", _("Experience")), ("detail", _("Details"))],
        items)


SECTIONS = [bookings_made, debriefs_asked, mentoring_as_mentee, sessions_given, debriefs_supported,
            mentoring_as_mentor, supporter_profile]
