"""Unit tree administration: see the tree, add a unit, rename or move one (administrators only)."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin.unit_forms import UnitForm
from portal.admin.views import bp
from portal.common.access import role_required
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import people_count_by_unit, unit_choices, unit_labels, unit_tree
from portal.org.services import create_unit, update_unit


@bp.route("/units", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def units():
    form = UnitForm(parents=unit_choices())
    if form.validate_on_submit():
        try:
            unit = create_unit(name=form.name.data, parent=form.parent(), actor=current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s has been added.", name=unit.name), "success")
            return redirect_after_post(url_for("admin.units"))
    return render_page("admin/units/index.html", tree=unit_tree(with_counts=True), form=form)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def unit_edit(unit_id: int):
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    form = UnitForm.for_unit(unit, parents=unit_choices(exclude_subtree_of=unit))
    if form.validate_on_submit():
        try:
            changed = update_unit(unit=unit, name=form.name.data, new_parent=form.parent(), actor=current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s has been saved.", name=unit.name) if changed else _("Nothing was changed."),
                  "success" if changed else "info")
            return redirect_after_post(url_for("admin.units"))
    return render_page("admin/units/edit.html", unit=unit, form=form, labels=unit_labels(),
                       people=people_count_by_unit().get(unit.id, 0))
