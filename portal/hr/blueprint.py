"""HR's addresses: the recognition exports (the download URLs are a contract: DESIGN.md), the data dictionary, the
API for HR systems and its tokens. Views are plain functions; this module is the one place that names their URLs."""

from flask import Blueprint

from portal.hr import api_views, token_views, views

bp = Blueprint("hr", __name__, url_prefix="/hr")

bp.add_url_rule("/exports", view_func=views.exports)
bp.add_url_rule("/exports/columns", view_func=views.columns)
bp.add_url_rule("/exports/recognition.csv", view_func=views.recognition_csv)
bp.add_url_rule("/exports/recognition.xlsx", view_func=views.recognition_xlsx)

bp.add_url_rule("/api-tokens", view_func=token_views.tokens)
bp.add_url_rule("/api-tokens/new", view_func=token_views.token_new, methods=["GET", "POST"])
bp.add_url_rule("/api-tokens/<int:token_id>/revoke", view_func=token_views.token_revoke, methods=["GET", "POST"])

bp.add_url_rule("/api/v1/recognition", endpoint="api_recognition", view_func=api_views.recognition)
bp.add_url_rule("/api/v1/recognition.csv", endpoint="api_recognition_csv", view_func=api_views.recognition_csv)
bp.add_url_rule("/api/v1/units", endpoint="api_units", view_func=api_views.units)
