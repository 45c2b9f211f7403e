"""Book support: choose a kind, pick an open time, confirm; then see, move or cancel the booking."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.auth.models import User
from portal.common.access import signed_in
from portal.common.errors import DomainError
from portal.common.forms import attach_error, parse_id
from portal.common.htmx import redirect_after_post, render_page
from portal.db import utcnow
from portal.extensions import db
from portal.home.waiting import WaitingItem, register_waiting_provider
from portal.support import policies
from portal.support.forms import BookForm, SlotFilterForm, new_idempotency_key
from portal.support.models import Booking, BookingStatus, MeetingMode, SupporterProfile, SupportKind, SupportSession
from portal.support.queries import (
    count_to_confirm,
    london_midnight,
    my_bookings,
    offered_slot,
    open_slots,
    supporter_profiles,
)
from portal.support.services import SlotTaken, book_slot, booking_transaction, join_waitlist
from portal.support.slots import parse_start

bp = Blueprint("support", __name__)
SLOTS_PER_PAGE = 30


@bp.app_context_processor
def _support_helpers():
    return {"support_policies": policies, "SupportKind": SupportKind, "BookingStatus": BookingStatus,
            "profile_modes": profile_modes}


def profile_modes(profile: SupporterProfile | None) -> str:
    """"In a room (Room 4) · By phone (0161 …)" — how this supporter meets people."""
    if profile is None:
        return ""
    details = {MeetingMode.ROOM: profile.room, MeetingMode.PHONE: profile.phone, MeetingMode.VIDEO: ""}
    parts = []
    for mode in profile.meeting_modes:
        mode = MeetingMode(mode)
        parts.append(f"{mode.label} ({details[mode]})" if details[mode] else mode.label)
    return " · ".join(parts) or _("Your supporter will tell you")


def _waiting(user) -> list[WaitingItem]:
    if not policies.can_offer_support(user):
        return []
    count = count_to_confirm(supporter=user, now=utcnow())
    return [WaitingItem(_("Bookings to confirm"), count, url_for("support.queue"))]


bp.record_once(lambda state: register_waiting_provider(state.app, _waiting))
bp.add_app_template_filter(lambda value: format_datetime(value, "HH:mm"), "hhmm")


def by_day(slots):
    return [(day, list(items)) for day, items in groupby(slots, key=lambda s: s.local_day)]


def supporter_names(slots) -> dict[int, str]:
    ids = {s.supporter_id for s in slots}
    if not ids:
        return {}
    return {p.user_id: p.user.display_name for p in db.session.scalars(
        select(SupporterProfile).where(SupporterProfile.user_id.in_(ids)))}


def alternatives(*, kind: str | None, exclude_supporter_id: int | None = None, limit: int = 3):
    return open_slots(now=utcnow(), kind=kind, exclude_supporter_id=exclude_supporter_id, limit=limit)


@bp.route("/support")
@signed_in
def index():
    now = utcnow()
    return render_page("support/index.html", kinds=list(SupportKind),
                       upcoming=my_bookings(user=current_user, now=now),
                       past=my_bookings(user=current_user, now=now, upcoming=False, limit=10),
                       is_supporter=policies.can_offer_support(current_user))


@bp.route("/support/book")
@signed_in
def book():
    profiles = supporter_profiles()
    form = SlotFilterForm(request.args, supporters=[(p.user_id, p.user.display_name) for p in profiles
                                                    if p.user_id != current_user.id])
    form.validate()
    after = parse_start(request.args.get("after"))
    start = max(filter(None, (_day_start(form.day_value), after and after + timedelta(minutes=1))), default=None)
    slots = open_slots(now=utcnow(), kind=form.kind_value, supporter_id=form.supporter_id, start=start,
                       exclude_supporter_id=current_user.id, include_full=True, limit=SLOTS_PER_PAGE + 1)
    more = len(slots) > SLOTS_PER_PAGE
    slots = slots[:SLOTS_PER_PAGE]
    return render_page("support/book.html", block="results", form=form, days=by_day(slots),
                       names={p.user_id: p.user.display_name for p in profiles}, more=more,
                       after=slots[-1].start_param if more else None, show_chooser=not request.args,
                       kind=SupportKind(form.kind_value) if form.kind_value else None)


def _day_start(day):
    return london_midnight(day) if day else None


def _slot_from_args(args):
    """(supporter id, kind, start) from a slot link or form; None when they do not describe a slot."""
    starts_at = parse_start(args.get("start"))
    supporter_id = parse_id(args.get("supporter_id"))
    kind = args.get("kind", "")
    if starts_at is None or supporter_id is None or kind not in {k.value for k in SupportKind}:
        return None
    return supporter_id, kind, starts_at


def _taken(message: str, kind: str):
    slots = alternatives(kind=kind, exclude_supporter_id=current_user.id)
    return render_page("support/taken.html", message=message, kind=SupportKind(kind), slots=slots,
                       names=supporter_names(slots))


@bp.route("/support/book/confirm", methods=["GET", "POST"])
@signed_in
def confirm():
    form = BookForm()
    source = request.form if request.method == "POST" else request.args
    chosen = _slot_from_args(source)
    if chosen is None:  # no time chosen yet: start at the beginning
        return redirect(url_for("support.book"))
    supporter_id, kind, starts_at = chosen
    slot = offered_slot(supporter_id=supporter_id, kind=kind, starts_at=starts_at, now=utcnow())
    if slot is None:
        return _taken(_("That time is no longer offered — here are the next available."), kind)
    if request.method == "GET":
        form.process(data={"supporter_id": supporter_id, "kind": kind, "start": source.get("start"),
                           "idempotency_key": new_idempotency_key()})
    elif form.validate():
        booker_id, key, reason = current_user.id, form.idempotency_key.data, form.reason.data or ""
        try:
            with booking_transaction():
                booking = book_slot(booker=db.session.get(User, booker_id), supporter_id=supporter_id, kind=kind,
                                    starts_at=starts_at, idempotency_key=key, reason=reason)
                db.session.commit()
        except SlotTaken as taken:
            db.session.rollback()
            return _taken(taken.message, kind)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(_("Confirmed.") if booking.status == BookingStatus.CONFIRMED
                  else _("Waiting for the supporter to confirm."), "success")
            return redirect_after_post(url_for("support.booking", booking_id=booking.id))
    profile = db.session.get(SupporterProfile, supporter_id)
    return render_page("support/confirm.html", form=form, profile=profile, slot=slot, kind=SupportKind(kind))


@bp.route("/support/waitlist", methods=["POST"])
@signed_in
def waitlist():
    supporter_id, kind, starts_at = _slot_from_args(request.form) or abort(404)
    session = db.session.scalar(select(SupportSession).where(
        SupportSession.supporter_id == supporter_id, SupportSession.kind == kind,
        SupportSession.starts_at == starts_at, SupportSession.is_active)) or abort(404)
    try:
        join_waitlist(user=current_user, session=session)
    except DomainError as error:
        flash(error.message, "warning")
        return redirect_after_post(url_for("support.book", kind=kind))
    db.session.commit()
    flash(_("You are on the waiting list. If a place comes up we will hold it for you and let you know."),
          "success")
    return redirect_after_post(url_for("support.index"))


def load_booking(booking_id: int) -> Booking:
    """The booking, for its two people only: anyone else (HR and administrators included) gets 404."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or not policies.can_view_booking(current_user, booking):
        abort(404)
    return booking


from portal.support import booking_views, calendar_views, supporter_views  # noqa: E402,F401  (attach routes)
