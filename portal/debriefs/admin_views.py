"""The de-brief rota (HR and administrators), HR's settings and HR's privacy-safe figures. No page here shows
anything anyone wrote in a request."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from portal.auth.models import User, UserRole
from portal.common.access import role_required
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.debriefs import queries
from portal.debriefs.forms import DutyForm, LeadForm, SettingsForm
from portal.debriefs.models import DutySupporter
from portal.debriefs.services import (
    add_duty_supporter,
    current_settings,
    remove_duty_supporter,
    save_settings,
    set_unit_lead,
)
from portal.debriefs.views import bp
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import unit_choices, unit_labels


def _supporter_choices() -> list[SelectChoice]:
    rows = db.session.execute(
        select(User.id, User.display_name, User.email)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.SUPPORTER.value))
        .where(User.is_active_account.is_(True)).order_by(User.display_name, User.id)
    )
    return [SelectChoice(user_id, f"{name} ({email})") for user_id, name, email in rows]


def _rota_forms(duty_form: DutyForm | None = None, lead_form: LeadForm | None = None):
    units = [SelectChoice(unit_id, label) for unit_id, label in unit_choices()]
    duty_form = duty_form or DutyForm(prefix="duty")
    lead_form = lead_form or LeadForm(prefix="lead")
    duty_form.unit_id.choices = units
    duty_form.user_id.choices = _supporter_choices()
    lead_form.unit_id.choices = units
    return duty_form, lead_form


def _render_rota(duty_form=None, lead_form=None):
    duty_form, lead_form = _rota_forms(duty_form, lead_form)
    duties, leads = queries.rota()
    return render_page("debriefs/rota.html", duty_form=duty_form, lead_form=lead_form, duties=duties, leads=leads,
                       labels=unit_labels())


@bp.route("/debriefs/rota")
@role_required(Role.HR, Role.ADMIN)
def rota():
    return _render_rota()


@bp.route("/debriefs/rota/duty", methods=["POST"])
@role_required(Role.HR, Role.ADMIN)
def rota_add_duty():
    duty_form, _lead = _rota_forms(DutyForm(prefix="duty"))
    if duty_form.validate_on_submit():
        unit = db.session.get(Unit, duty_form.unit_id.data)
        person = db.session.get(User, duty_form.user_id.data)
        if unit is None or person is None:
            abort(404)
        try:
            add_duty_supporter(actor=current_user, unit=unit, person=person)
        except DomainError as error:
            attach_error(duty_form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is now on duty for %(unit)s.", name=person.display_name, unit=unit.name), "success")
            return redirect_after_post(url_for("debriefs.rota"))
    return _render_rota(duty_form=duty_form)


@bp.route("/debriefs/rota/duty/<int:duty_id>/remove", methods=["POST"])
@role_required(Role.HR, Role.ADMIN)
def rota_remove_duty(duty_id: int):
    duty = db.session.get(DutySupporter, duty_id)
    if duty is None:
        abort(404)
    name, unit = duty.user.display_name, duty.unit.name
    remove_duty_supporter(actor=current_user, duty=duty)
    db.session.commit()
    flash(_("%(name)s is no longer on duty for %(unit)s.", name=name, unit=unit), "success")
    return redirect_after_post(url_for("debriefs.rota"))


@bp.route("/debriefs/rota/lead", methods=["POST"])
@role_required(Role.HR, Role.ADMIN)
def rota_set_lead():
    _duty, lead_form = _rota_forms(lead_form=LeadForm(prefix="lead"))
    if lead_form.validate_on_submit():
        unit = db.session.get(Unit, lead_form.unit_id.data)
        if unit is None:
            abort(404)
        person = None
        if lead_form.email.data:
            person = db.session.scalar(select(User).where(func.lower(User.email) == lead_form.email.data.lower()))
            if person is None:
                attach_error(lead_form, DomainError(_("Nobody has that email address."), field="email"))
                return _render_rota(lead_form=lead_form)
        try:
            set_unit_lead(actor=current_user, unit=unit, person=person)
        except DomainError as error:
            attach_error(lead_form, error)
        else:
            db.session.commit()
            flash(_("Lead saved for %(unit)s.", unit=unit.name), "success")
            return redirect_after_post(url_for("debriefs.rota"))
    return _render_rota(lead_form=lead_form)


@bp.route("/debriefs/settings", methods=["GET", "POST"])
@role_required(Role.HR)
def settings():
    current = current_settings()
    form = SettingsForm(obj=current)
    form.fallback_contact_id.choices = [SelectChoice(0, _("Nobody chosen: tell everyone in HR"))] + _supporter_choices()
    if form.is_submitted() and form.fallback_contact_id.data is None:
        form.fallback_contact_id.data = 0
    if form.validate_on_submit():
        try:
            save_settings(actor=current_user, signposting=form.signposting.data,
                          fallback_contact_id=form.fallback_contact_id.data or None,
                          claim_minutes_this_shift=form.claim_minutes_this_shift.data,
                          claim_minutes_72_hours=form.claim_minutes_72_hours.data,
                          claim_minutes_this_week=form.claim_minutes_this_week.data,
                          retention_days=form.retention_days.data)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("De-brief settings saved."), "success")
            return redirect_after_post(url_for("debriefs.settings"))
    elif not form.is_submitted():
        form.fallback_contact_id.data = current.fallback_contact_id or 0
    return render_page("debriefs/settings.html", form=form)


@bp.route("/debriefs/insights")
@role_required(Role.HR)
def insights():
    from portal.mentoring.queries import mentoring_figures_by_month  # the mentoring package reads ours

    return render_page("debriefs/insights.html", months=queries.figures_by_month(),
                       mentoring=mentoring_figures_by_month(), small=queries.SMALL_NUMBER)
