"""HR manages the values people are thanked for: add, rename, retire (and restore); delete only unused ones."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import role_required
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt
from portal.recognition.forms import ValueForm
from portal.recognition.models import RecognitionValue
from portal.recognition.queries import all_values, values_in_use
from portal.recognition.services import add_value, delete_value, rename_value, set_value_retired


@role_required(Role.HR)
def values():
    form = ValueForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            value = add_value(name=form.name.data, actor=current_user)
        if outcome.ok:
            flash(_("%(name)s added. People can now choose it when they say thank you.", name=value.name), "success")
            return redirect_after_post(url_for("recognition.values"))
    return render_page("recognition/values.html", form=form, values=all_values(), in_use=values_in_use())


@role_required(Role.HR)
@load("value_id", RecognitionValue)
def value(value: RecognitionValue):
    form = ValueForm(data={"name": value.name})
    if form.validate_on_submit():
        with attempt(form) as outcome:
            rename_value(value=value, name=form.name.data, actor=current_user)
        if outcome.ok:
            flash(_("Saved."), "success")
            return redirect_after_post(url_for("recognition.values"))
    return render_page("recognition/value.html", form=form, value=value, in_use=value.id in values_in_use())


@role_required(Role.HR)
@load("value_id", RecognitionValue)
def retire_value(value: RecognitionValue):
    set_value_retired(value=value, retired=not value.is_retired, actor=current_user)
    flash(_("%(name)s is retired: it stays on past thank-yous but cannot be chosen.", name=value.name)
          if value.is_retired else _("%(name)s can be chosen again.", name=value.name), "success")
    return redirect_after_post(url_for("recognition.values"))


@role_required(Role.HR)
@load("value_id", RecognitionValue)
def delete(value: RecognitionValue):
    name = value.name
    with attempt() as outcome:
        delete_value(value=value, actor=current_user)
    if outcome.ok:
        flash(_("%(name)s deleted.", name=name), "success")
    return redirect_after_post(url_for("recognition.values"))
