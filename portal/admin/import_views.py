"""Importing people from an HR file: upload, check the preview (nothing written), then import."""

from __future__ import annotations

from flask import Response, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.admin.import_forms import ImportApplyForm, ImportUploadForm
from portal.admin.views import bp
from portal.auth.importing import EXAMPLE_CSV, ImportHasErrors, apply_import, decode_csv_file, plan_import
from portal.common.access import role_required
from portal.common.errors import DomainError
from portal.common.forms import attach_error
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.extensions import db


def _page(*, form: ImportUploadForm, plan=None):
    # The apply form posts with htmx into <main>; a GET (even htmx's, after HX-Location) gets the whole page.
    block = "content" if request.method == "POST" else None
    return render_page("admin/import/index.html", block=block, form=form, plan=plan)


@bp.route("/users/import", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_import():
    form = ImportUploadForm()
    plan = None
    if form.validate_on_submit():
        try:
            plan = plan_import(text=decode_csv_file(form.file.data.read()))
        except DomainError as error:
            attach_error(form, error)
    return _page(form=form, plan=plan)


@bp.route("/users/import/apply", methods=["POST"])
@role_required(Role.ADMIN)
def user_import_apply():
    apply_form = ImportApplyForm()
    if not apply_form.validate_on_submit():
        form = ImportUploadForm(formdata=None)
        form.form_errors.extend(apply_form.content.errors)
        return _page(form=form)
    try:
        result = apply_import(plan=apply_form.content.data, actor=current_user)
    except ImportHasErrors:
        # Something changed since the preview (nothing was written): show the file as it checks now.
        return _page(form=ImportUploadForm(formdata=None), plan=plan_import(text=apply_form.content.data))
    db.session.commit()
    message = _("Import finished: %(created)s, %(updated)s, %(unchanged)s unchanged.",
                created=ngettext("%(num)d person added", "%(num)d people added", result.created),
                updated=ngettext("%(num)d updated", "%(num)d updated", result.updated), unchanged=result.unchanged)
    if result.units_created:
        message += " " + ngettext("%(num)d new unit.", "%(num)d new units.", result.units_created)
    flash(message, "success")
    return redirect_after_post(url_for("admin.user_import"))


@bp.route("/users/import/example.csv")
@role_required(Role.ADMIN)
def user_import_example():
    # The byte order mark tells Excel the file is UTF-8.
    return Response("\ufeff" + EXAMPLE_CSV, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=frontline-people-example.csv"})
