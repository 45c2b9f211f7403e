"""The organisation's one page of its own: the unit picker's live matches."""

from flask import Blueprint

from portal.org import views

bp = Blueprint("org", __name__, url_prefix="/units")

bp.add_url_rule("/pick", view_func=views.pick_units)
