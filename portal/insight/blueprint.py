"""The insight pages' addresses. Views are plain functions; this module is the one place that names their URLs."""

from flask import Blueprint

from portal.insight import team_views, views

bp = Blueprint("insight", __name__, url_prefix="/insight")

bp.add_url_rule("", view_func=views.index)
bp.add_url_rule("/recognition", view_func=views.recognition)
for slug, view in views.RECOGNITION_CSV.items():
    bp.add_url_rule(f"/recognition/{slug}.csv", endpoint=f"recognition_csv_{slug.replace('-', '_')}", view_func=view)
bp.add_url_rule("/gaps", view_func=views.gaps)
bp.add_url_rule("/signals", view_func=views.signals)
bp.add_url_rule("/peer-support", view_func=views.peer_support)
for slug, view in views.PEER_SUPPORT_CSV.items():
    bp.add_url_rule(f"/peer-support/{slug}.csv", endpoint=f"peer_support_csv_{slug.replace('-', '_')}",
                    view_func=view)
bp.add_url_rule("/team", view_func=team_views.team)
bp.add_url_rule("/team/by-month.csv", view_func=team_views.team_csv)
