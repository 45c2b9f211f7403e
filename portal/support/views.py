"""Book support: choose a kind, pick an open time, confirm (or join a full group's waiting list).

One booking's own pages are in booking_views.py, the supporters' pages in supporter_views.py, calendar feeds in
calendar_views.py; the URL rules are in blueprint.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from flask import flash, redirect, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.common.access import signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.common.params import parse_id
from portal.common.transaction import attempt
from portal.db import utcnow
from portal.extensions import db
from portal.home.waiting import WaitingItem
from portal.support import policies
from portal.support.forms import BookForm, SlotFilterForm, new_idempotency_key
from portal.support.models import BOOKABLE_KINDS, BookingStatus, MeetingMode, SupporterProfile, SupportKind
from portal.support.queries import (
    active_session_at,
    count_to_confirm,
    london_midnight,
    my_bookings,
    offered_slot,
    open_slots,
    supporter_profiles,
)
from portal.support.services import SlotTaken, book_slot, join_waitlist
from portal.support.slots import parse_start

SLOTS_PER_PAGE = 30


def waiting_items(user) -> list[WaitingItem]:
    if not policies.can_offer_support(user):
        return []
    count = count_to_confirm(supporter=user, now=utcnow())
    return [WaitingItem(_("Bookings to confirm"), count, url_for("support.queue"))]


# --- template filters (declared on the blueprint) ---------------------------------------------------------------

def hhmm(value: datetime) -> str:
    """"14:30" in the reader's time zone."""
    return format_datetime(value, "HH:mm")


def profile_modes(profile: SupporterProfile | None) -> str:
    """"In a room (Room 4) · By phone (0161 …)" — how this supporter meets people."""
    if profile is None:
        return ""
    details = {MeetingMode.ROOM: profile.room, MeetingMode.PHONE: profile.phone, MeetingMode.VIDEO: ""}
    parts = []
    for mode in map(MeetingMode, profile.meeting_modes):
        parts.append(f"{mode.label} ({details[mode]})" if details[mode] else mode.label)
    return " · ".join(parts) or _("Your supporter will tell you")


def booking_mode(booking) -> str:
    """How the two people of a booking meet: the way chosen (with the room or number), else every way the supporter
    offers (bookings made before people chose)."""
    profile = booking.supporter_profile
    mode = booking.mode
    if mode is None or profile is None:
        return profile_modes(profile)
    detail = {MeetingMode.ROOM: profile.room, MeetingMode.PHONE: profile.phone}.get(mode, "")
    return f"{mode.label} ({detail})" if detail else str(mode.label)


# --- helpers for the booking pages ------------------------------------------------------------------------------

def by_day(slots):
    return [(day, list(items)) for day, items in groupby(slots, key=lambda s: s.local_day)]


def supporter_names(slots) -> dict[int, str]:
    ids = {s.supporter_id for s in slots}
    if not ids:
        return {}
    return {p.user_id: p.user.display_name for p in db.session.scalars(
        select(SupporterProfile).where(SupporterProfile.user_id.in_(ids)))}


def _slot_from_args(args) -> tuple[int, SupportKind, datetime] | None:
    """(supporter id, kind, start) from a slot link or form; None when they do not describe a slot."""
    starts_at = parse_start(args.get("start"))
    supporter_id = parse_id(args.get("supporter_id"))
    kind = args.get("kind", "")
    if starts_at is None or supporter_id is None or kind not in {k.value for k in SupportKind}:
        return None
    return supporter_id, SupportKind(kind), starts_at


def _taken(message: str, kind: SupportKind, chosen: tuple[int, SupportKind, datetime] | None = None):
    """The time has gone: say so, with the next three open times of the same kind — and, when it was a group
    session that is now full, the way onto its waiting list."""
    slots = open_slots(now=utcnow(), kind=kind, exclude_supporter_id=current_user.id, limit=3)
    full = None
    if chosen is not None:
        supporter_id, chosen_kind, starts_at = chosen
        session = active_session_at(supporter_id=supporter_id, kind=chosen_kind, starts_at=starts_at)
        if session is not None and session.is_group and session.booked_count >= session.capacity:
            full = session
    return render_page("support/taken.html", message=message, kind=kind, slots=slots, names=supporter_names(slots),
                       full_session=full)


# --- views ------------------------------------------------------------------------------------------------------

@signed_in
def index():
    now = utcnow()
    return render_page("support/index.html", upcoming=my_bookings(user=current_user, now=now),
                       past=my_bookings(user=current_user, now=now, upcoming=False, limit=10))


def routed_elsewhere(kind: str | None, supporter: str | None = None):
    """De-briefs are asked for through "I've had a difficult contact"; mentoring starts by asking a mentor, after
    which its sessions are booked with that mentor (the mentoring page links here with the mentor chosen). A link to
    book either another way leads to that route instead. None when ``kind`` is booked here."""
    if kind == SupportKind.DEBRIEF:
        return redirect(url_for("debriefs.new"))
    if kind == SupportKind.MENTORING and not parse_id(supporter):
        return redirect(url_for("mentoring.index"))
    return None


@signed_in
def book():
    elsewhere = routed_elsewhere(request.args.get("kind"), request.args.get("supporter"))
    if elsewhere is not None:
        return elsewhere
    show_chooser = not request.args  # the kinds to choose from: no supporters, no times
    profiles = [] if show_chooser else supporter_profiles()
    mentoring = request.args.get("kind") == SupportKind.MENTORING
    form = SlotFilterForm(request.args, supporters=[(p.user_id, p.user.display_name) for p in profiles
                                                    if p.user_id != current_user.id],
                          kinds=(*BOOKABLE_KINDS, SupportKind.MENTORING) if mentoring else BOOKABLE_KINDS)
    form.validate()
    after = parse_start(request.args.get("after"))
    day_start = london_midnight(form.day_value) if form.day_value else None
    start = max(filter(None, (day_start, after and after + timedelta(minutes=1))), default=None)
    slots = [] if show_chooser else open_slots(
        now=utcnow(), kind=form.kind_value, supporter_id=form.supporter_id, start=start, profiles=profiles,
        exclude_supporter_id=current_user.id, include_full=True, limit=SLOTS_PER_PAGE + 1)
    more = len(slots) > SLOTS_PER_PAGE
    slots = slots[:SLOTS_PER_PAGE]
    return render_page("support/book.html", block="results", form=form, days=by_day(slots),
                       names={p.user_id: p.user.display_name for p in profiles}, more=more,
                       after=slots[-1].start_param if more else None, show_chooser=show_chooser,
                       kinds=list(BOOKABLE_KINDS), kind=SupportKind(form.kind_value) if form.kind_value else None)


@signed_in
def confirm():
    form = BookForm()
    source = request.form if request.method == "POST" else request.args
    chosen = _slot_from_args(source)
    if chosen is None:  # no time chosen yet: start at the beginning
        return redirect(url_for("support.book"))
    supporter_id, kind, starts_at = chosen
    if kind == SupportKind.DEBRIEF:
        return redirect(url_for("debriefs.new"))
    profile = db.session.get(SupporterProfile, supporter_id)
    if profile is not None:
        form.offer_modes(profile)
    if request.method == "POST" and form.validate():
        # book_slot checks the time is still offered itself: on SQLite this request holds the write lock, so the
        # people who lose a race should not pay for that check twice.
        with attempt(form) as outcome:
            booking = book_slot(booker=current_user, supporter_id=supporter_id, kind=kind, starts_at=starts_at,
                                idempotency_key=form.idempotency_key.data, reason=form.reason.data or "",
                                meeting_mode=form.meeting_mode.data or None)
        if outcome.ok:
            flash(_("Confirmed.") if booking.status == BookingStatus.CONFIRMED
                  else _("Waiting for the supporter to confirm."), "success")
            return redirect_after_post(url_for("support.booking", booking_id=booking.id))
        if isinstance(outcome.error, SlotTaken):
            return _taken(outcome.error.message, kind, chosen)
    return _confirm_page(form, supporter_id=supporter_id, kind=kind, starts_at=starts_at)


def _confirm_page(form: BookForm, *, supporter_id: int, kind: SupportKind, starts_at: datetime):
    slot = offered_slot(supporter_id=supporter_id, kind=kind, starts_at=starts_at, now=utcnow())
    if slot is None:
        return _taken(_("That time is no longer offered — here are the next available."), kind)
    profile = db.session.get(SupporterProfile, supporter_id)
    if request.method == "GET":
        form.process(data={"supporter_id": supporter_id, "kind": kind, "start": slot.start_param,
                           "idempotency_key": new_idempotency_key()})
        form.offer_modes(profile)
    return render_page("support/confirm.html", form=form, profile=profile, slot=slot, kind=kind)


@signed_in
def waitlist():
    chosen = _slot_from_args(request.form)
    supporter_id, kind, starts_at = chosen or (None, None, None)
    session = active_session_at(supporter_id=supporter_id, kind=kind, starts_at=starts_at) if chosen else None
    if session is None:
        flash(_("That session is no longer on. Choose another time."), "warning")
        return redirect_after_post(url_for("support.book", kind=kind))
    with attempt() as outcome:
        join_waitlist(user=current_user, session=session)
    if not outcome.ok:
        return redirect_after_post(url_for("support.book", kind=kind))
    flash(_("You are on the waiting list. If a place comes up we will hold it for you and let you know."),
          "success")
    return redirect_after_post(url_for("support.index"))
