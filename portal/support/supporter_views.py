"""Supporters: their profile, their availability, and their queue (bookings to confirm, sessions coming up).

Reading these pages never writes: a supporter who has not saved a profile yet sees the defaults, and the row is
made when they first save something.
"""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import role_required
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.db import utcnow
from portal.support import policies
from portal.support.forms import WEEKDAYS, ExceptionForm, OneOffForm, ProfileForm, WeeklyHoursForm
from portal.support.models import AvailabilityException, OneOffSession, SupportKind, WeeklyHours
from portal.support.profiles import (
    add_exception,
    add_one_off,
    add_weekly_hours,
    profile_for,
    remove_availability,
    save_profile,
)
from portal.support.queries import availability_for, supporter_queue


@role_required(Role.SUPPORTER)
def profile():
    form = ProfileForm(obj=profile_for(supporter=current_user))
    if form.validate_on_submit():
        with attempt(form) as outcome:
            save_profile(supporter=current_user, **form.profile_values())
        if outcome.ok:
            flash(_("Your supporter profile is saved."), "success")
            return redirect_after_post(url_for("support.availability"))
    return render_page("support/profile.html", form=form)


def _offered(form):
    """Only the kinds this supporter offers are choices for new hours or sessions."""
    offered = set(profile_for(supporter=current_user).kinds)
    form.kind.choices = [c for c in SupportKind.choices() if c.value in offered]
    return form


# Three forms on one page: each has a prefix, so each field's id (and so its label) is its own.
WEEKLY, ONE_OFF, DAYS_OFF = "weekly", "one-off", "days-off"


def _availability_page(**forms):
    forms = {"weekly_form": _offered(WeeklyHoursForm(formdata=None, prefix=WEEKLY)),
             "one_off_form": _offered(OneOffForm(formdata=None, prefix=ONE_OFF)),
             "exception_form": ExceptionForm(formdata=None, prefix=DAYS_OFF), **forms}
    return render_page("support/availability.html", weekdays=WEEKDAYS, **availability_for(supporter=current_user),
                       **forms)


@role_required(Role.SUPPORTER)
def availability():
    return _availability_page()


@role_required(Role.SUPPORTER)
def add_weekly():
    form = _offered(WeeklyHoursForm(prefix=WEEKLY))
    if form.validate():
        with attempt(form) as outcome:
            add_weekly_hours(supporter=current_user, kind=form.kind.data, weekday=form.weekday.data,
                             start_time=form.start_time.data, end_time=form.end_time.data,
                             capacity=form.capacity.data or 1)
        if outcome.ok:
            flash(_("Weekly hours added."), "success")
            return redirect_after_post(url_for("support.availability"))
    return _availability_page(weekly_form=form)


@role_required(Role.SUPPORTER)
def add_one_off_view():
    form = _offered(OneOffForm(prefix=ONE_OFF))
    if form.validate():
        with attempt(form) as outcome:
            add_one_off(supporter=current_user, kind=form.kind.data, day=form.day.data,
                        start_time=form.start_time.data, minutes=form.minutes.data, capacity=form.capacity.data or 1)
        if outcome.ok:
            flash(_("Session added."), "success")
            return redirect_after_post(url_for("support.availability"))
    return _availability_page(one_off_form=form)


@role_required(Role.SUPPORTER)
def add_exception_view():
    form = ExceptionForm(prefix=DAYS_OFF)
    if form.validate():
        with attempt(form) as outcome:
            add_exception(supporter=current_user, first_day=form.first_day.data, last_day=form.last_day.data,
                          label=form.label.data or "")
        if outcome.ok:
            flash(_("Days off added. No one can book you on those days."), "success")
            return redirect_after_post(url_for("support.availability"))
    return _availability_page(exception_form=form)


# One rule per kind of availability, so each URL names exactly the model it loads.

@role_required(Role.SUPPORTER)
@load("item_id", WeeklyHours, can=policies.can_manage_availability, into="item")
def remove_weekly(item: WeeklyHours):
    return _remove(item)


@role_required(Role.SUPPORTER)
@load("item_id", OneOffSession, can=policies.can_manage_availability, into="item")
def remove_one_off(item: OneOffSession):
    return _remove(item)


@role_required(Role.SUPPORTER)
@load("item_id", AvailabilityException, can=policies.can_manage_availability, into="item")
def remove_exception(item: AvailabilityException):
    return _remove(item)


def _remove(item: WeeklyHours | OneOffSession | AvailabilityException):
    with attempt() as outcome:
        remove_availability(supporter=current_user, item=item)
    if outcome.ok:
        flash(_("Removed. Sessions already booked are not affected."), "success")
    return redirect_after_post(url_for("support.availability"))


@role_required(Role.SUPPORTER)
def queue():
    now = utcnow()
    return render_page("support/queue.html", **supporter_queue(supporter=current_user, now=now))
