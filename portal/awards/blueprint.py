"""The awards pages' addresses. Views are plain functions; this module is the one place that names their URLs."""

from flask import Blueprint

from portal.awards import nomination_views, panel_views, scheme_views, views

bp = Blueprint("awards", __name__, url_prefix="/awards")
bp.add_app_template_filter(views.award_date, "award_date")

bp.add_url_rule("", view_func=views.index)

bp.add_url_rule("/schemes/<int:scheme_id>/nominate", view_func=nomination_views.nominate, methods=["GET", "POST"])
bp.add_url_rule("/nominations/<int:nomination_id>", view_func=nomination_views.nomination)
bp.add_url_rule("/nominations/<int:nomination_id>/cosign", view_func=nomination_views.cosign, methods=["POST"])
bp.add_url_rule("/nominations/<int:nomination_id>/withdraw", view_func=nomination_views.withdraw,
                 methods=["GET", "POST"])
bp.add_url_rule("/nominations/<int:nomination_id>/endorse", view_func=nomination_views.endorse,
                methods=["GET", "POST"])
bp.add_url_rule("/nominations/<int:nomination_id>/consent", view_func=nomination_views.consent, methods=["POST"])

bp.add_url_rule("/panel", view_func=panel_views.panel)
bp.add_url_rule("/panel/schemes/<int:scheme_id>", view_func=panel_views.panel_scheme)
bp.add_url_rule("/panel/nominations/<int:nomination_id>", view_func=panel_views.review)
bp.add_url_rule("/panel/nominations/<int:nomination_id>/scores", view_func=panel_views.score, methods=["POST"])
bp.add_url_rule("/panel/nominations/<int:nomination_id>/decide", view_func=panel_views.decide, methods=["POST"])

bp.add_url_rule("/schemes", view_func=scheme_views.schemes)
bp.add_url_rule("/schemes/new", view_func=scheme_views.scheme_new, methods=["GET", "POST"])
bp.add_url_rule("/schemes/<int:scheme_id>", view_func=scheme_views.scheme)
bp.add_url_rule("/schemes/<int:scheme_id>/edit", view_func=scheme_views.scheme_edit, methods=["GET", "POST"])
