"""HR's recognition exports: the form with its preview count, the data dictionary, and the two downloads of the
contract (``/hr/exports/recognition.csv`` and ``.xlsx``). The API is in api_views.py, tokens in token_views.py.

A download is a GET that writes: the audit record (who, the filters, how many rows) is written and committed
before the first row is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.common.access import role_required
from portal.common.htmx import render_page
from portal.common.london import london_today
from portal.common.roles import Role
from portal.common.transaction import writes
from portal.hr.columns import COLUMNS
from portal.hr.downloads import csv_response, describe, xlsx_response
from portal.hr.filters import ExportFilters, RecognitionType
from portal.hr.forms import ExportForm
from portal.hr.queries import Reader, count_by_type
from portal.hr.services import record_export
from portal.org.picker import UnitChoice, unit_choice

FILTER_PARAMETERS = ("from", "to", "unit", "unit_q", "type", "value", "scheme", "status", "message", "pseudonymise")


@dataclass
class Preview:
    counts: dict[RecognitionType, int]
    described: list[tuple[str, str]]
    csv_url: str
    xlsx_url: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _last_month() -> MultiDict:
    first_of_this_month = london_today().replace(day=1)
    last = first_of_this_month - timedelta(days=1)
    return MultiDict({"from": last.replace(day=1).isoformat(), "to": last.isoformat()})


def _preview(filters: ExportFilters) -> Preview:
    args = filters.query_args()
    return Preview(counts=count_by_type(filters), described=describe(filters),
                   csv_url=url_for("hr.recognition_csv", **args), xlsx_url=url_for("hr.recognition_xlsx", **args))


@role_required(Role.HR)
def exports():
    """The form. Sent (with "Count rows", or live through htmx), it shows how many rows the download will hold and
    the download links for exactly those filters."""
    submitted = any(name in request.args for name in FILTER_PARAMETERS)
    form = ExportForm(request.args if submitted else _last_month())
    unit = unit_choice(request.args)
    preview = _preview(form.filters(unit.unit)) if submitted and form.validate() else None
    return render_page("hr/exports.html", block="preview", form=form, unit=unit, preview=preview,
                       submitted=submitted)


@role_required(Role.HR)
def columns():
    return render_page("hr/columns.html", columns=COLUMNS)


def _download_filters() -> tuple[ExportFilters | None, ExportForm, UnitChoice]:
    """The filters of a download link, or None (the form then carries the errors). An unknown unit is an error,
    not "every unit": a link that names a unit must never export more than that unit."""
    form = ExportForm(request.args)
    valid = form.validate()
    unit = unit_choice(request.args)
    if request.args.get("unit") and unit.unit is None:
        form.form_errors.append(_("There is no unit with that number. Choose the unit again."))
        valid = False
    return (form.filters(unit.unit) if valid else None), form, unit


def _refused(form: ExportForm, unit: UnitChoice):
    return render_page("hr/exports.html", form=form, unit=unit, preview=None, submitted=True, status_code=400)


@role_required(Role.HR)
@writes
def recognition_csv():
    filters, form, unit = _download_filters()
    if filters is None:
        return _refused(form, unit)
    record_export(actor=current_user, filters=filters, file_format="csv")
    return csv_response(filters, Reader.person(current_user))


@role_required(Role.HR)
@writes
def recognition_xlsx():
    filters, form, unit = _download_filters()
    if filters is None:
        return _refused(form, unit)
    rows = record_export(actor=current_user, filters=filters, file_format="xlsx")
    return xlsx_response(filters, Reader.person(current_user), exported_by=current_user.display_name, rows=rows)

