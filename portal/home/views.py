"""The home page and the health check. The URL rules are in blueprint.py."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from portal.common.access import public, signed_in
from portal.common.htmx import render_page
from portal.home.health import database_is_up
from portal.home.tools import tools_for
from portal.home.waiting import waiting_for
from portal.practice.queries import featured_for


@signed_in
def index():
    return render_page("home/index.html", waiting=waiting_for(current_user), tools=tools_for(current_user),
                       featured=featured_for(current_user))


@public
def healthz():
    """200 {"status": "ok"} when the database answers, 503 {"status": "unavailable"} when it does not."""
    if not database_is_up():
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
