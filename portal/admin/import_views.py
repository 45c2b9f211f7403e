"""Importing people from an HR file: upload, check the preview (nothing written), then import. The URL rules are
in blueprint.py."""

from __future__ import annotations

from flask import Response, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.admin.import_forms import ImportApplyForm, ImportUploadForm
from portal.auth.importing import EXAMPLE_CSV, Action, ImportResult, apply_import, decode_csv_file, plan_import
from portal.auth.invitations import invitation_lifetime
from portal.common.access import role_required
from portal.common.htmx import redirect_after_post, render_page
from portal.common.roles import Role
from portal.common.transaction import attempt


def _page(*, form: ImportUploadForm, plan=None, apply_form: ImportApplyForm | None = None):
    # The apply form posts with htmx into <main>; a GET (even htmx's, after HX-Location) gets the whole page.
    block = "content" if request.method == "POST" else None
    return render_page("admin/import/index.html", block=block, form=form, plan=plan, Action=Action,
                       apply_form=apply_form or ImportApplyForm(formdata=None),
                       invitation_days=invitation_lifetime().days)


@role_required(Role.ADMIN)
def user_import():
    form = ImportUploadForm()
    plan = None
    if form.validate_on_submit():
        with attempt(form):  # a file that is not UTF-8 CSV: the message goes next to the file field
            plan = plan_import(text=decode_csv_file(form.file.data.read()), create_units=form.create_units.data)
    return _page(form=form, plan=plan)


@role_required(Role.ADMIN)
def user_import_apply():
    apply_form = ImportApplyForm()
    if not apply_form.validate_on_submit():
        form = ImportUploadForm(formdata=None)
        form.form_errors.extend(apply_form.content.errors)
        return _page(form=form)
    plan = plan_import(text=apply_form.content.data, create_units=apply_form.create_units.data == "yes")
    if plan.has_errors:
        # Something changed since the preview: nothing is written; show the file as it checks now.
        return _page(form=ImportUploadForm(formdata=None), plan=plan)
    invite = apply_form.invite_answer(needed=plan.count(Action.CREATE) > 0)
    if invite is None:
        return _page(form=ImportUploadForm(formdata=None), plan=plan, apply_form=apply_form)
    flash(_finished_message(apply_import(plan=plan, actor=current_user, invite=invite)), "success")
    return redirect_after_post(url_for("admin.user_import"))


def _finished_message(result: ImportResult) -> str:
    message = _("Import finished: %(created)s, %(updated)s, %(unchanged)s unchanged.",
                created=ngettext("%(num)d person added", "%(num)d people added", result.created),
                updated=ngettext("%(num)d updated", "%(num)d updated", result.updated), unchanged=result.unchanged)
    if result.units_created:
        message += " " + ngettext("%(num)d new unit.", "%(num)d new units.", result.units_created)
    if result.invited:
        message += " " + ngettext("%(num)d invitation sent.", "%(num)d invitations sent.", result.invited)
    return message


@role_required(Role.ADMIN)
def user_import_example():
    # The byte order mark tells Excel the file is UTF-8.
    return Response("\ufeff" + EXAMPLE_CSV, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=frontline-people-example.csv"})
