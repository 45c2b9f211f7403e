"""HR manages the values people are thanked for: add, rename, retire (and restore); delete only unused ones."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import role_required
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.extensions import db
from portal.recognition.forms import ValueForm
from portal.recognition.models import RecognitionValue
from portal.recognition.queries import all_values, values_in_use
from portal.recognition.services import add_value, delete_value, rename_value, set_value_retired
from portal.recognition.views import bp


def _values_page(form: ValueForm):
    return render_page("recognition/values.html", form=form, values=all_values(), in_use=values_in_use())


@bp.route("/recognition/values", methods=["GET", "POST"])
@role_required(Role.HR)
def values():
    form = ValueForm()
    if form.validate_on_submit():
        try:
            value = add_value(name=form.name.data, actor=current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s added. People can now choose it when they say thank you.", name=value.name), "success")
            return redirect_after_post(url_for("recognition.values"))
    return _values_page(form)


@bp.route("/recognition/values/<int:value_id>", methods=["GET", "POST"])
@role_required(Role.HR)
def value(value_id: int):
    item = db.get_or_404(RecognitionValue, value_id)
    form = ValueForm(data={"name": item.name})
    if form.validate_on_submit():
        try:
            rename_value(value=item, name=form.name.data, actor=current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect_after_post(url_for("recognition.values"))
    return render_page("recognition/value.html", form=form, value=item, in_use=item.id in values_in_use())


@bp.route("/recognition/values/<int:value_id>/retire", methods=["POST"])
@role_required(Role.HR)
def retire_value(value_id: int):
    item = db.get_or_404(RecognitionValue, value_id)
    set_value_retired(value=item, retired=not item.is_retired, actor=current_user)
    db.session.commit()
    flash(_("%(name)s is retired: it stays on past thank-yous but cannot be chosen.", name=item.name)
          if item.is_retired else _("%(name)s can be chosen again.", name=item.name), "success")
    return redirect_after_post(url_for("recognition.values"))


@bp.route("/recognition/values/<int:value_id>/delete", methods=["POST"])
@role_required(Role.HR)
def delete(value_id: int):
    item = db.get_or_404(RecognitionValue, value_id)
    name = item.name
    try:
        delete_value(value=item, actor=current_user)
    except DomainError as error:
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("%(name)s deleted.", name=name), "success")
    return redirect_after_post(url_for("recognition.values"))
