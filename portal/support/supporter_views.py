"""Supporters: their profile, their availability, and their queue (bookings to confirm, sessions coming up)."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import role_required
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.db import utcnow
from portal.extensions import db
from portal.support.forms import WEEKDAYS, ExceptionForm, OneOffForm, ProfileForm, WeeklyHoursForm, kind_choices
from portal.support.profiles import (
    add_exception,
    add_one_off,
    add_weekly_hours,
    get_or_create_profile,
    remove_availability,
    save_profile,
)
from portal.support.queries import availability_for, supporter_queue
from portal.support.views import bp


@bp.route("/support/profile", methods=["GET", "POST"])
@role_required(Role.SUPPORTER)
def profile():
    current = get_or_create_profile(supporter=current_user)
    form = ProfileForm(obj=current)
    if form.validate_on_submit():
        try:
            save_profile(supporter=current_user, **form.profile_values())
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your supporter profile is saved."), "success")
            return redirect_after_post(url_for("support.availability"))
    return render_page("support/profile.html", form=form)


def _offered(form):
    """Only the kinds this supporter offers are choices for new hours or sessions."""
    offered = set(get_or_create_profile(supporter=current_user).kinds)
    form.kind.choices = [c for c in kind_choices() if c.value in offered]
    return form


def _availability_page(**forms):
    get_or_create_profile(supporter=current_user)
    db.session.commit()
    forms = {"weekly_form": _offered(WeeklyHoursForm(formdata=None)),
             "one_off_form": _offered(OneOffForm(formdata=None)),
             "exception_form": ExceptionForm(formdata=None), **forms}
    return render_page("support/availability.html", weekdays=WEEKDAYS, **availability_for(supporter=current_user),
                       **forms)


@bp.route("/support/availability")
@role_required(Role.SUPPORTER)
def availability():
    return _availability_page()


@bp.route("/support/availability/weekly", methods=["POST"])
@role_required(Role.SUPPORTER)
def add_weekly():
    form = _offered(WeeklyHoursForm())
    if form.validate():
        try:
            add_weekly_hours(supporter=current_user, kind=form.kind.data, weekday=form.weekday.data,
                             start_time=form.start_time.data, end_time=form.end_time.data,
                             capacity=form.capacity.data or 1)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Weekly hours added."), "success")
            return redirect_after_post(url_for("support.availability"))
    return _availability_page(weekly_form=form)


@bp.route("/support/availability/one-off", methods=["POST"])
@role_required(Role.SUPPORTER)
def add_one_off_view():
    form = _offered(OneOffForm())
    if form.validate():
        try:
            add_one_off(supporter=current_user, kind=form.kind.data, day=form.day.data,
                        start_time=form.start_time.data, minutes=form.minutes.data, capacity=form.capacity.data or 1)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Session added."), "success")
            return redirect_after_post(url_for("support.availability"))
    return _availability_page(one_off_form=form)


@bp.route("/support/availability/exception", methods=["POST"])
@role_required(Role.SUPPORTER)
def add_exception_view():
    form = ExceptionForm()
    if form.validate():
        try:
            add_exception(supporter=current_user, first_day=form.first_day.data, last_day=form.last_day.data,
                          label=form.label.data or "")
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Days off added. No one can book you on those days."), "success")
            return redirect_after_post(url_for("support.availability"))
    return _availability_page(exception_form=form)


@bp.route("/support/availability/<what>/<int:item_id>/remove", methods=["POST"])
@role_required(Role.SUPPORTER)
def remove(what: str, item_id: int):
    try:
        remove_availability(supporter=current_user, what=what, item_id=item_id)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Removed. Sessions already booked are not affected."), "success")
    return redirect_after_post(url_for("support.availability"))


@bp.route("/support/queue")
@role_required(Role.SUPPORTER)
def queue():
    return render_page("support/queue.html", now=utcnow(), **supporter_queue(supporter=current_user, now=utcnow()),
                       tab=request.args.get("tab"))
