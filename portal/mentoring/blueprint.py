"""The mentoring pages' addresses. Views are plain functions; this module is the one place that names their URLs."""

from flask import Blueprint

from portal.mentoring import views

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")

bp.add_url_rule("", view_func=views.index)
bp.add_url_rule("/mentors", view_func=views.mentors)
bp.add_url_rule("/mentors/<int:user_id>/ask", view_func=views.ask, methods=["GET", "POST"])
bp.add_url_rule("/<int:mentoring_id>", view_func=views.show)
bp.add_url_rule("/<int:mentoring_id>/accept", view_func=views.accept, methods=["POST"])
bp.add_url_rule("/<int:mentoring_id>/decline", view_func=views.decline, methods=["POST"])
bp.add_url_rule("/<int:mentoring_id>/agreement", view_func=views.agreement, methods=["POST"])
bp.add_url_rule("/<int:mentoring_id>/check", view_func=views.check, methods=["POST"])
bp.add_url_rule("/<int:mentoring_id>/end", view_func=views.end, methods=["POST"])
