"""The recognition pages' addresses, all under /thanks. Views are plain functions; this module is the one place
that names their URLs. (The addresses they had before /thanks are redirects, declared in ``register``.)"""

from flask import Blueprint

from portal.recognition import moderation_views, profile_views, reaction_views, thank_views, value_views, views

bp = Blueprint("recognition", __name__, url_prefix="/thanks")

bp.add_url_rule("", view_func=views.wall)
bp.add_url_rule("/new", view_func=thank_views.thank_new, methods=["GET", "POST"])
bp.add_url_rule("/<int:post_id>", view_func=views.post)
bp.add_url_rule("/<int:post_id>/edit", view_func=thank_views.edit, methods=["GET", "POST"])
bp.add_url_rule("/<int:post_id>/withdraw", view_func=thank_views.withdraw, methods=["GET", "POST"])
bp.add_url_rule("/<int:post_id>/make-private", view_func=thank_views.make_post_private, methods=["POST"])
bp.add_url_rule("/<int:post_id>/appreciate", view_func=reaction_views.appreciate, methods=["POST"])
bp.add_url_rule("/<int:post_id>/comments", view_func=reaction_views.comment, methods=["POST"])

bp.add_url_rule("/<int:post_id>/report", view_func=moderation_views.report, methods=["GET", "POST"])
bp.add_url_rule("/<int:post_id>/hide", view_func=moderation_views.hide, methods=["GET", "POST"])
bp.add_url_rule("/comments/<int:comment_id>/report", view_func=moderation_views.report_comment,
                methods=["GET", "POST"])
bp.add_url_rule("/comments/<int:comment_id>/hide", view_func=moderation_views.hide_comment, methods=["GET", "POST"])
bp.add_url_rule("/reports", view_func=moderation_views.moderation)
bp.add_url_rule("/reports/<int:report_id>/dismiss", view_func=moderation_views.dismiss, methods=["POST"])

bp.add_url_rule("/values", view_func=value_views.values, methods=["GET", "POST"])
bp.add_url_rule("/values/<int:value_id>", view_func=value_views.value, methods=["GET", "POST"])
bp.add_url_rule("/values/<int:value_id>/retire", view_func=value_views.retire_value, methods=["POST"])
bp.add_url_rule("/values/<int:value_id>/delete", view_func=value_views.delete, methods=["POST"])

bp.add_url_rule("/people/<int:person_id>", view_func=profile_views.profile)
bp.add_url_rule("/people/<int:person_id>.csv", view_func=profile_views.profile_csv)
