"""Unit tree administration: see the tree, add a unit, rename or move one (administrators only). The URL rules are
in blueprint.py."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin.unit_forms import UnitForm
from portal.common.access import role_required
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.org.models import Unit
from portal.org.queries import labels_for, people_count_by_unit, unit_tree
from portal.org.services import create_unit, update_unit


@role_required(Role.ADMIN)
def units():
    form = UnitForm()
    if not form.parent_id.searching and form.validate_on_submit():
        with attempt(form) as outcome:
            unit = create_unit(name=form.name.data, parent=form.parent(), actor=current_user)
        if outcome.ok:
            flash(_("%(name)s has been added.", name=unit.name), "success")
            return redirect_after_post(url_for("admin.units"))
    return render_page("admin/units/index.html", tree=unit_tree(with_counts=True), form=form)


@role_required(Role.ADMIN)
@load("unit_id", Unit)
def unit_edit(unit: Unit):
    """Rename and move in one form: ``update_unit`` checks the name against the siblings it will have."""
    form = UnitForm.for_unit(unit)
    if not form.parent_id.searching and form.validate_on_submit():
        with attempt(form) as outcome:
            changed = update_unit(unit=unit, name=form.name.data, new_parent=form.parent(), actor=current_user)
        if outcome.ok:
            flash(_("%(name)s has been saved.", name=unit.name) if changed else _("Nothing was changed."),
                  "success" if changed else "info")
            return redirect_after_post(url_for("admin.units"))
    return render_page("admin/units/edit.html", unit=unit, form=form, label=labels_for([unit])[unit.id],
                       people=people_count_by_unit().get(unit.id, 0))
