"""Your data: everything Frontline holds about you, as a page and as a JSON file. The URL rules are in blueprint.py.

Both are GETs that write (the audit record of the export), so they are declared ``@writes``. There is no id in the
address: each person can only ever export their own data.
"""

from __future__ import annotations

import json

from flask import Response
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import render_page
from portal.common.spreadsheets import as_download
from portal.common.transaction import writes
from portal.db import utcnow
from portal.privacy.export import as_json
from portal.privacy.services import export_personal_data


@signed_in
@writes
def my_data():
    now = utcnow()
    sections = export_personal_data(person=current_user, file_format="html", now=now)
    return render_page("privacy/my_data.html", sections=sections, generated_at=now)


@signed_in
@writes
def my_data_json():
    now = utcnow()
    sections = export_personal_data(person=current_user, file_format="json", now=now)
    body = json.dumps(as_json(current_user, sections, now), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return as_download(response, f"frontline-my-data-{now:%Y-%m-%d}.json")
