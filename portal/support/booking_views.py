"""One booking: see it (its two people only, every read audited), cancel, move, confirm, attendance, reflections;
and the supervision record download."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import User
from portal.common.access import signed_in
from portal.common.audit import record_event
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.i18n import when
from portal.db import utcnow
from portal.extensions import db
from portal.support import policies
from portal.support.forms import CancelForm, ReflectionsForm, RescheduleForm, SessionNotesForm, new_idempotency_key
from portal.support.models import Booking
from portal.support.queries import open_slots, supervision_record
from portal.support.services import (
    SlotTaken,
    accept_offer,
    booking_transaction,
    cancel_booking,
    confirm_booking,
    mark_attendance,
    read_confidential,
    reschedule_booking,
    save_reflections,
    save_session_notes,
)
from portal.support.slots import parse_start
from portal.support.views import bp, by_day, load_booking


def _booking_page(booking, *, reflections_form=None, notes_form=None):
    read_confidential(booking=booking, actor=current_user, what="booking")
    db.session.commit()
    return render_page("support/booking.html", booking=booking,
                       reflections_form=reflections_form or ReflectionsForm(reflections=booking.reflections),
                       notes_form=notes_form or SessionNotesForm(session_notes=booking.session_notes),
                       is_booker=booking.booker_id == current_user.id)


@bp.route("/support/bookings/<int:booking_id>")
@signed_in
def booking(booking_id: int):
    return _booking_page(load_booking(booking_id))


@bp.route("/support/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
@signed_in
def cancel(booking_id: int):
    booking = load_booking(booking_id)
    if not policies.can_cancel(current_user, booking):
        abort(403)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            _in_booking_transaction(booking, lambda b, actor: cancel_booking(booking=b, actor=actor,
                                                                             reason=form.reason.data))
        except DomainError as error:
            db.session.rollback()
            booking = load_booking(booking_id)
            attach_error(form, error)
        else:
            flash(_("Booking cancelled. We have let the other person know."), "success")
            return redirect_after_post(url_for("support.index"))
    return render_page("support/cancel.html", booking=booking, form=form)


@bp.route("/support/bookings/<int:booking_id>/reschedule", methods=["GET", "POST"])
@signed_in
def reschedule(booking_id: int):
    booking = load_booking(booking_id)
    if not policies.can_reschedule(current_user, booking):
        abort(403)
    form = RescheduleForm()
    if request.method == "GET":
        form.process(data={"start": request.args.get("start", ""), "idempotency_key": new_idempotency_key()})
    elif form.validate():
        booking_id, actor_id = booking.id, current_user.id
        try:
            with booking_transaction():
                new = reschedule_booking(booking=db.session.get(Booking, booking_id),
                                         actor=db.session.get(User, actor_id),
                                         starts_at=parse_start(form.start.data), reason=form.reason.data,
                                         idempotency_key=form.idempotency_key.data)
                db.session.commit()
        except DomainError as error:
            db.session.rollback()
            booking = load_booking(booking_id)
            attach_error(form, error if not isinstance(error, SlotTaken) else SlotTaken(
                _("That time was just taken. Choose another.")))
            form.start.data = ""
        else:
            flash(_("Booking moved. We have let your supporter know."), "success")
            return redirect_after_post(url_for("support.booking", booking_id=new.id))
    chosen = parse_start(form.start.data)
    slots = [] if chosen else open_slots(now=utcnow(), kind=booking.kind, supporter_id=booking.supporter_id,
                                          limit=30)
    return render_page("support/reschedule.html", booking=booking, form=form, chosen=chosen, days=by_day(slots))


@bp.route("/support/bookings/<int:booking_id>/confirm", methods=["POST"])
@signed_in
def confirm_booking_view(booking_id: int):
    booking = load_booking(booking_id)
    if not policies.can_confirm(current_user, booking):
        abort(403)
    return _act(booking, lambda b, actor: confirm_booking(booking=b, actor=actor),
                _("Booking confirmed. We have let them know."))


@bp.route("/support/bookings/<int:booking_id>/accept", methods=["POST"])
@signed_in
def accept(booking_id: int):
    booking = load_booking(booking_id)
    if not policies.can_accept_offer(current_user, booking):
        abort(403)
    return _act(booking, lambda b, actor: accept_offer(booking=b, actor=actor), _("The place is yours."))


@bp.route("/support/bookings/<int:booking_id>/attendance", methods=["POST"])
@signed_in
def attendance(booking_id: int):
    booking = load_booking(booking_id)
    if not policies.can_mark_attendance(current_user, booking):
        abort(403)
    attended = request.form.get("attended") == "yes"
    return _act(booking, lambda b, actor: mark_attendance(booking=b, actor=actor, attended=attended),
                _("Attendance recorded."))


def _in_booking_transaction(booking, action) -> None:
    """Run ``action(booking, actor)`` in a fresh serialized transaction (SQLite's write lock from the start;
    PostgreSQL's conditional updates decide), with both reloaded inside it, and commit."""
    booking_id, actor_id = booking.id, current_user.id
    with booking_transaction():
        action(db.session.get(Booking, booking_id), db.session.get(User, actor_id))
        db.session.commit()


def _act(booking, action, done: str):
    booking_id = booking.id
    try:
        _in_booking_transaction(booking, action)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        flash(done, "success")
    return redirect_after_post(url_for("support.booking", booking_id=booking_id))


@bp.route("/support/bookings/<int:booking_id>/reflections", methods=["POST"])
@signed_in
def reflections(booking_id: int):
    booking = load_booking(booking_id)
    if not policies.can_write_reflections(current_user, booking):
        abort(403)
    form = ReflectionsForm()
    if not form.validate():
        return _booking_page(booking, reflections_form=form)
    save_reflections(booking=booking, actor=current_user, reflections=form.reflections.data)
    db.session.commit()
    flash(_("Your reflections are saved."), "success")
    return redirect_after_post(url_for("support.booking", booking_id=booking.id))


@bp.route("/support/bookings/<int:booking_id>/notes", methods=["POST"])
@signed_in
def session_notes(booking_id: int):
    booking = load_booking(booking_id)
    if not policies.can_write_session_notes(current_user, booking):
        abort(403)
    form = SessionNotesForm()
    if not form.validate():
        return _booking_page(booking, notes_form=form)
    save_session_notes(booking=booking, actor=current_user, notes=form.session_notes.data)
    db.session.commit()
    flash(_("Your session notes are saved."), "success")
    return redirect_after_post(url_for("support.booking", booking_id=booking.id))


@bp.route("/support/record.csv")
@signed_in
def record_csv():
    """The person's own supervision record, for revalidation. Their reflections are confidential: audited."""
    rows = supervision_record(user=current_user)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Date"), _("Kind"), _("Supporter"), _("Length in minutes"), _("Your reflections")])
    for row in rows:
        writer.writerow([when(row.starts_at), row.kind_value.label, row.supporter.display_name, row.minutes,
                         _csv_safe(row.reflections)])
    record_event("support.record_downloaded", actor=current_user, target=current_user, sessions=len(rows))
    db.session.commit()
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="supervision-record.csv"'})


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading apostrophe keeps them text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
