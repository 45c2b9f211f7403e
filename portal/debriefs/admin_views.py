"""The de-brief rota (HR and administrators) and HR's settings. No page here shows anything anyone wrote in a request.
HR's figures are on the insight pages (portal/insight)."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from portal.auth.models import User, UserRole
from portal.common.access import role_required
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load, load_or_404
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.debriefs import queries, routing
from portal.debriefs.forms import DutyForm, LeadForm, SettingsForm
from portal.debriefs.models import DutySupporter
from portal.debriefs.services import (
    add_duty_supporter,
    current_settings,
    remove_duty_supporter,
    save_settings,
    set_unit_lead,
)
from portal.extensions import db
from portal.org.queries import unit_labels


def _supporter_choices() -> list[SelectChoice]:
    rows = db.session.execute(
        select(User.id, User.display_name, User.email)
        .join(UserRole, (UserRole.user_id == User.id) & (UserRole.role == Role.SUPPORTER.value))
        .where(User.is_active_account.is_(True)).order_by(User.display_name, User.id)
    )
    return [SelectChoice(user_id, f"{name} ({email})") for user_id, name, email in rows]


def _rota_forms(duty_form: DutyForm | None = None, lead_form: LeadForm | None = None):
    duty_form = duty_form or DutyForm(prefix="duty", formdata=None)
    lead_form = lead_form or LeadForm(prefix="lead", formdata=None)
    duty_form.user_id.choices = [SelectChoice("", _("Choose a supporter who offers de-briefs")),
                                 *(SelectChoice(person.id, f"{person.display_name} ({person.email})")
                                   for person in routing.debrief_supporters())]
    return duty_form, lead_form


def _render_rota(duty_form=None, lead_form=None):
    duty_form, lead_form = _rota_forms(duty_form, lead_form)
    duties, leads = queries.rota()
    return render_page("debriefs/rota.html", duty_form=duty_form, lead_form=lead_form, duties=duties, leads=leads,
                       labels=unit_labels())


@role_required(Role.HR, Role.ADMIN)
def rota():
    return _render_rota()


@role_required(Role.HR, Role.ADMIN)
def rota_add_duty():
    duty_form, _lead = _rota_forms(DutyForm(prefix="duty"))
    if not duty_form.unit_id.searching and duty_form.validate_on_submit():
        unit = duty_form.unit_id.unit
        person = load_or_404(User, duty_form.user_id.data)
        with attempt(duty_form) as outcome:
            add_duty_supporter(actor=current_user, unit=unit, person=person)
        if outcome.ok:
            flash(_("%(name)s is now on duty for %(unit)s.", name=person.display_name, unit=unit.name), "success")
            return redirect_after_post(url_for("debriefs.rota"))
    return _render_rota(duty_form=duty_form)


@role_required(Role.HR, Role.ADMIN)
@load("duty_id", DutySupporter)
def rota_remove_duty(duty: DutySupporter):
    name, unit = duty.user.display_name, duty.unit.name
    remove_duty_supporter(actor=current_user, duty=duty)
    flash(_("%(name)s is no longer on duty for %(unit)s.", name=name, unit=unit), "success")
    return redirect_after_post(url_for("debriefs.rota"))


@role_required(Role.HR, Role.ADMIN)
def rota_set_lead():
    _duty, lead_form = _rota_forms(lead_form=LeadForm(prefix="lead"))
    if not lead_form.unit_id.searching and lead_form.validate_on_submit():
        unit = lead_form.unit_id.unit
        person = None
        if lead_form.email.data:
            person = db.session.scalar(select(User).where(func.lower(User.email) == lead_form.email.data.lower()))
            if person is None:
                attach_error(lead_form, DomainError(_("Nobody has that email address."), field="email"))
                return _render_rota(lead_form=lead_form)
        with attempt(lead_form) as outcome:
            set_unit_lead(actor=current_user, unit=unit, person=person)
        if outcome.ok:
            flash(_("Lead saved for %(unit)s.", unit=unit.name), "success")
            return redirect_after_post(url_for("debriefs.rota"))
    return _render_rota(lead_form=lead_form)


@role_required(Role.HR)
def settings():
    current = current_settings()
    form = SettingsForm(obj=current)
    form.fallback_contact_id.choices = [SelectChoice(0, _("Nobody chosen: tell everyone in HR"))] + _supporter_choices()
    if form.is_submitted() and form.fallback_contact_id.data is None:
        form.fallback_contact_id.data = 0
    if form.validate_on_submit():
        with attempt(form) as outcome:
            save_settings(actor=current_user, signposting=form.signposting.data,
                          fallback_contact_id=form.fallback_contact_id.data or None,
                          claim_minutes_this_shift=form.claim_minutes_this_shift.data,
                          claim_minutes_72_hours=form.claim_minutes_72_hours.data,
                          claim_minutes_this_week=form.claim_minutes_this_week.data,
                          retention_days=form.retention_days.data)
        if outcome.ok:
            flash(_("De-brief settings saved."), "success")
            return redirect_after_post(url_for("debriefs.settings"))
    elif not form.is_submitted():
        form.fallback_contact_id.data = current.fallback_contact_id or 0
    return render_page("debriefs/settings.html", form=form)
