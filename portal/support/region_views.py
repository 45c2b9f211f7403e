"""Which bank holidays each unit keeps (HR and administrators): no weekly hours are offered on them."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.common.access import role_required
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.db import utcnow
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import labels_for
from portal.support.bank_holidays import bank_holidays, holiday_name, region_for, set_unit_region
from portal.support.forms import UnitRegionForm
from portal.support.models import DEFAULT_REGION, Region, UnitRegion
from portal.support.slots import LONDON


@role_required(Role.HR, Role.ADMIN)
def regions():
    form = UnitRegionForm()
    if not form.unit_id.searching and form.validate_on_submit():
        unit = form.unit_id.unit
        with attempt(form) as outcome:
            set_unit_region(actor=current_user, unit=unit, region=form.region.data or None)
        if outcome.ok:
            flash(_("Saved: %(unit)s.", unit=labels_for([unit])[unit.id]), "success")
            return redirect_after_post(url_for("support.regions"))
    # Only the units with a setting of their own are listed (a trust has a thousand; the rest follow the unit above).
    own = db.session.execute(select(Unit, UnitRegion.region).join(UnitRegion, UnitRegion.unit_id == Unit.id)).all()
    labels = labels_for([unit for unit, _region in own])
    rows = sorted(((labels[unit.id], region) for unit, region in own), key=lambda row: row[0])
    chosen = form.unit_id.unit
    current = (region_for(chosen), chosen.id in {unit.id for unit, _region in own}) if chosen is not None else None
    return render_page("support/regions.html", form=form, rows=rows, default=DEFAULT_REGION, current=current,
                       upcoming=_upcoming())


def _upcoming():
    """The next few bank holidays of each region, so people can see what each choice means."""
    today = utcnow().astimezone(LONDON).date()
    return [(region, [(day, holiday_name(region, day)) for day in
                      sorted(bank_holidays(region, today, today + timedelta(days=366)))[:5]]) for region in Region]
