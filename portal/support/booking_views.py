"""One booking: see it (its two people only, every read audited), cancel, move, confirm, attendance, reflections,
session notes; and the supervision record download.

Every booking is loaded for the people the action is for, and hidden (404) from everyone else: its existence is
private. Whether the booking is still in a state the action needs is the service's guarded update to decide, so a
second click gets a message instead of an error.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.transaction import attempt, writes
from portal.db import utcnow
from portal.support import policies
from portal.support.calendar import download_ics
from portal.support.forms import CancelForm, ReflectionsForm, RescheduleForm, SessionNotesForm, new_idempotency_key
from portal.support.models import Booking
from portal.support.queries import offered_slot, open_slots
from portal.support.record import supervision_record_csv
from portal.support.services import (
    SlotTaken,
    accept_offer,
    cancel_booking,
    confirm_booking,
    mark_attendance,
    read_confidential,
    reschedule_booking,
    save_reflections,
    save_session_notes,
)
from portal.support.slots import parse_start
from portal.support.views import SLOTS_PER_PAGE, by_day


def _booking_page(booking: Booking, *, reflections_form=None, notes_form=None):
    read_confidential(booking=booking, actor=current_user, what="booking")
    return render_page("support/booking.html", booking=booking,
                       reflections_form=reflections_form or ReflectionsForm(reflections=booking.reflections),
                       notes_form=notes_form or SessionNotesForm(session_notes=booking.session_notes))


@signed_in
@writes
@load("booking_id", Booking, can=policies.can_view_booking, hide=True)
def booking(booking: Booking):
    return _booking_page(booking)


@signed_in
@load("booking_id", Booking, can=policies.can_view_booking, hide=True)
def cancel(booking: Booking):
    form = CancelForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            cancel_booking(booking=booking, actor=current_user, reason=form.reason.data)
        if outcome.ok:
            flash(_("Booking cancelled. We have let the other person know."), "success")
            return redirect_after_post(url_for("support.index"))
    return render_page("support/cancel.html", booking=booking, form=form)


@signed_in
@load("booking_id", Booking, can=policies.can_act_as_booker, hide=True)
def reschedule(booking: Booking):
    form = RescheduleForm()
    if request.method == "GET":
        form.process(data={"start": request.args.get("start", ""), "idempotency_key": new_idempotency_key()})
    elif form.validate():
        with attempt(form) as outcome:
            new = reschedule_booking(booking=booking, actor=current_user, starts_at=parse_start(form.start.data),
                                     reason=form.reason.data, idempotency_key=form.idempotency_key.data)
        if outcome.ok:
            flash(_("Booking moved. We have let your supporter know."), "success")
            return redirect_after_post(url_for("support.booking", booking_id=new.id))
        if isinstance(outcome.error, SlotTaken):
            form.start.data = ""  # back to the list of times
    chosen = parse_start(form.start.data)
    after = parse_start(request.args.get("after"))
    slots = [] if chosen else open_slots(now=utcnow(), kind=booking.kind, supporter_id=booking.supporter_id,
                                          start=after and after + timedelta(minutes=1), limit=SLOTS_PER_PAGE + 1)
    more = len(slots) > SLOTS_PER_PAGE
    slots = slots[:SLOTS_PER_PAGE]
    chosen_slot = offered_slot(supporter_id=booking.supporter_id, kind=booking.kind, starts_at=chosen,
                               now=utcnow()) if chosen else None
    return render_page("support/reschedule.html", booking=booking, form=form, chosen=chosen, chosen_slot=chosen_slot,
                       days=by_day(slots), more=more, after=slots[-1].start_param if more else None)


@signed_in
@load("booking_id", Booking, can=policies.can_add_to_calendar, hide=True)
def calendar_file(booking: Booking):
    """"Add to calendar": the booking as an .ics file (what the emailed invite carries, nothing confidential)."""
    name = f"support-session-{booking.starts_at:%Y-%m-%d}.ics"
    return Response(download_ics(booking, now=utcnow()), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private"})


@signed_in
@load("booking_id", Booking, can=policies.can_act_as_supporter, hide=True)
def confirm_booking_view(booking: Booking):
    return _act(booking, confirm_booking, _("Booking confirmed. We have let them know."))


@signed_in
@load("booking_id", Booking, can=policies.can_act_as_booker, hide=True)
def accept(booking: Booking):
    return _act(booking, accept_offer, _("The place is yours."))


@signed_in
@load("booking_id", Booking, can=policies.can_act_as_supporter, hide=True)
def attendance(booking: Booking):
    return _act(booking, mark_attendance, _("Attendance recorded."), attended=request.form.get("attended") == "yes")


@signed_in
@load("booking_id", Booking, can=policies.can_act_as_booker, hide=True)
def reflections(booking: Booking):
    form = ReflectionsForm()
    if not form.validate():
        return _booking_page(booking, reflections_form=form)
    return _act(booking, save_reflections, _("Your reflections are saved."), reflections=form.reflections.data or "")


@signed_in
@load("booking_id", Booking, can=policies.can_act_as_supporter, hide=True)
def session_notes(booking: Booking):
    form = SessionNotesForm()
    if not form.validate():
        return _booking_page(booking, notes_form=form)
    return _act(booking, save_session_notes, _("Your session notes are saved."), notes=form.session_notes.data or "")


def _act(booking: Booking, action, done: str, **values):
    """One service call on the booking; its refusal (someone got there first) is flashed instead of ``done``."""
    with attempt() as outcome:
        action(booking=booking, actor=current_user, **values)
    if outcome.ok:
        flash(done, "success")
    return redirect_after_post(url_for("support.booking", booking_id=booking.id))


@signed_in
@writes
def record_csv():
    """The person's own supervision record, for revalidation. Their reflections are confidential: audited."""
    return Response(supervision_record_csv(user=current_user), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="supervision-record.csv"'})
