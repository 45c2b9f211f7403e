"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.common.access import public, signed_in
from portal.common.htmx import render_page
from portal.extensions import db
from portal.home.tools import tools_for
from portal.home.waiting import waiting_for

bp = Blueprint("home", __name__)


@bp.route("/")
@signed_in
def index():
    return render_page("home/index.html", waiting=waiting_for(current_user), tools=tools_for(current_user))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
