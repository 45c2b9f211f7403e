"""The de-brief pages' addresses. Views are plain functions; this module is the one place that names their URLs."""

from flask import Blueprint

from portal.debriefs import admin_views, views

bp = Blueprint("debriefs", __name__, url_prefix="/debriefs")

bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("", view_func=views.mine)
bp.add_url_rule("/queue", view_func=views.queue)
bp.add_url_rule("/<int:request_id>", view_func=views.show)
bp.add_url_rule("/<int:request_id>/sent", view_func=views.sent)
bp.add_url_rule("/<int:request_id>/claim", view_func=views.claim, methods=["POST"])
bp.add_url_rule("/<int:request_id>/held", view_func=views.held, methods=["POST"])
bp.add_url_rule("/<int:request_id>/check-in", view_func=views.check_in, methods=["POST"])
bp.add_url_rule("/<int:request_id>/close", view_func=views.close, methods=["POST"])

bp.add_url_rule("/rota", view_func=admin_views.rota)
bp.add_url_rule("/rota/duty", view_func=admin_views.rota_add_duty, methods=["POST"])
bp.add_url_rule("/rota/duty/<int:duty_id>/remove", view_func=admin_views.rota_remove_duty, methods=["POST"])
bp.add_url_rule("/rota/lead", view_func=admin_views.rota_set_lead, methods=["POST"])
bp.add_url_rule("/settings", view_func=admin_views.settings, methods=["GET", "POST"])
