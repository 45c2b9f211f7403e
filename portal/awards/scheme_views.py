"""HR manages award schemes: list, create, edit."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.awards.forms import SchemeForm
from portal.awards.models import AwardScheme
from portal.awards.queries import panel_people, scheme_nominations, schemes_with_counts
from portal.awards.scheme_services import create_scheme, update_scheme
from portal.common.access import role_required
from portal.common.htmx import redirect_after_post, render_page
from portal.common.loading import load
from portal.common.roles import Role
from portal.common.transaction import attempt


@role_required(Role.HR)
def schemes():
    return render_page("awards/schemes.html", schemes=schemes_with_counts())


@role_required(Role.HR)
@load("scheme_id", AwardScheme, into="item")
def scheme(item: AwardScheme):
    page = scheme_nominations(item, cursor=request.args.get("after") or None)
    return render_page("awards/scheme.html", block="rows" if request.args.get("after") else None, scheme=item,
                       page=page)


@role_required(Role.HR)
def scheme_new():
    form = SchemeForm(panel_people=panel_people())
    if form.validate_on_submit():
        with attempt(form) as outcome:
            created = create_scheme(details=form.details(), actor=current_user, idempotency_key=form.request_key.data)
        if outcome.ok:
            flash(_("“%(name)s” has been created.", name=created.name), "success")
            return redirect_after_post(url_for("awards.schemes"))
    return render_page("awards/scheme_form.html", form=form, scheme=None)


@role_required(Role.HR)
@load("scheme_id", AwardScheme)
def scheme_edit(scheme: AwardScheme):
    people = panel_people()
    form = (SchemeForm(panel_people=people) if request.method == "POST"
            else SchemeForm.for_scheme(scheme, panel_people=people))
    if form.validate_on_submit():
        with attempt(form) as outcome:
            update_scheme(scheme=scheme, details=form.details(), actor=current_user)
        if outcome.ok:
            flash(_("Your changes to “%(name)s” have been saved.", name=scheme.name), "success")
            return redirect_after_post(url_for("awards.scheme", scheme_id=scheme.id))
    return render_page("awards/scheme_form.html", form=form, scheme=scheme)
