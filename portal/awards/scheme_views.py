"""HR manages award schemes: list, create, edit."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.awards.forms import SchemeForm
from portal.awards.models import AwardPanelMember, AwardScheme
from portal.awards.queries import panel_people, scheme_nominations, schemes_with_counts
from portal.awards.scheme_services import create_scheme, update_scheme
from portal.awards.views import bp
from portal.common.access import role_required
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.extensions import db


def _scheme_or_404(scheme_id: int) -> AwardScheme:
    scheme = db.session.get(AwardScheme, scheme_id,
                            options=[selectinload(AwardScheme.categories),
                                     selectinload(AwardScheme.panel_rows).joinedload(AwardPanelMember.user)])
    if scheme is None:
        abort(404)
    return scheme


@bp.route("/awards/schemes")
@role_required(Role.HR)
def schemes():
    return render_page("awards/schemes.html", schemes=schemes_with_counts())


@bp.route("/awards/schemes/<int:scheme_id>")
@role_required(Role.HR)
def scheme(scheme_id: int):
    item = _scheme_or_404(scheme_id)
    page = scheme_nominations(item, cursor=request.args.get("after") or None)
    return render_page("awards/scheme.html", block="rows" if request.args.get("after") else None, scheme=item,
                       page=page)


@bp.route("/awards/schemes/new", methods=["GET", "POST"])
@role_required(Role.HR)
def scheme_new():
    form = SchemeForm(panel_people=panel_people())
    if form.validate_on_submit():
        try:
            scheme = create_scheme(details=form.details(), actor=current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("“%(name)s” has been created.", name=scheme.name), "success")
            return redirect_after_post(url_for("awards.schemes"))
    return render_page("awards/scheme_form.html", form=form, scheme=None)


@bp.route("/awards/schemes/<int:scheme_id>/edit", methods=["GET", "POST"])
@role_required(Role.HR)
def scheme_edit(scheme_id: int):
    scheme = _scheme_or_404(scheme_id)
    people = panel_people()
    form = (SchemeForm(panel_people=people) if request.method == "POST"
            else SchemeForm.for_scheme(scheme, panel_people=people))
    if form.validate_on_submit():
        try:
            update_scheme(scheme=scheme, details=form.details(), actor=current_user)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your changes to “%(name)s” have been saved.", name=scheme.name), "success")
            return redirect_after_post(url_for("awards.scheme", scheme_id=scheme.id))
    return render_page("awards/scheme_form.html", form=form, scheme=scheme)
