"""The unit picker's live matches (htmx): the radio buttons for the units whose name matches what was typed."""

from __future__ import annotations

import re

from flask import abort, render_template_string, request

from portal.common.access import signed_in
from portal.org.picker import unit_choice

_FIELD_NAME = re.compile(r"[a-z][a-z0-9_-]{0,40}")


@signed_in
def pick_units():
    name = request.args.get("name", "unit")
    if not _FIELD_NAME.fullmatch(name):
        abort(400)
    choice = unit_choice({f"{name}_q": request.args.get(f"{name}_q", "")}, name)
    return render_template_string('{% from "org/_unit_picker.html" import unit_matches %}{{ unit_matches(choice) }}',
                                  choice=choice)
