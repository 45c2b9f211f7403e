"""Good practice's addresses. ``/practice``, ``/practice/new`` and ``/practice/review`` are contracts (DESIGN.md)."""

from flask import Blueprint

from portal.practice import cascade_views, moderation_views, reaction_views, thanks_views, views

bp = Blueprint("practice", __name__, url_prefix="/practice")

bp.add_url_rule("", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/mine", view_func=views.mine)
bp.add_url_rule("/preview", view_func=views.preview, methods=["POST"])
bp.add_url_rule("/<int:note_id>", view_func=views.show)
bp.add_url_rule("/<int:note_id>/edit", view_func=views.edit, methods=["GET", "POST"])
bp.add_url_rule("/<int:note_id>/submit", view_func=views.submit, methods=["POST"])

bp.add_url_rule("/<int:note_id>/useful", view_func=reaction_views.useful, methods=["POST"])
bp.add_url_rule("/<int:note_id>/comments", view_func=reaction_views.comment, methods=["POST"])
bp.add_url_rule("/<int:note_id>/flag", view_func=reaction_views.flag, methods=["GET", "POST"])
bp.add_url_rule("/comments/<int:comment_id>/report", view_func=reaction_views.report, methods=["GET", "POST"])

bp.add_url_rule("/review", view_func=moderation_views.review)
bp.add_url_rule("/<int:note_id>/review", view_func=moderation_views.review_note)
bp.add_url_rule("/<int:note_id>/approve", view_func=moderation_views.approve, methods=["POST"])
bp.add_url_rule("/<int:note_id>/request-changes", view_func=moderation_views.request_changes,
                methods=["GET", "POST"])
bp.add_url_rule("/<int:note_id>/reject", view_func=moderation_views.reject, methods=["GET", "POST"])
bp.add_url_rule("/<int:note_id>/hide", view_func=moderation_views.hide, methods=["GET", "POST"])
bp.add_url_rule("/<int:note_id>/archive", view_func=moderation_views.archive, methods=["GET", "POST"])
bp.add_url_rule("/<int:note_id>/keep", view_func=moderation_views.keep, methods=["POST"])
bp.add_url_rule("/<int:note_id>/clear-personal-data", view_func=moderation_views.clear_personal_data,
                methods=["POST"])
bp.add_url_rule("/<int:note_id>/reverify", view_func=moderation_views.reverify, methods=["POST"])
bp.add_url_rule("/comments/<int:comment_id>/hide", view_func=moderation_views.hide_comment, methods=["GET", "POST"])
bp.add_url_rule("/comments/<int:comment_id>/keep", view_func=moderation_views.keep_comment, methods=["POST"])

bp.add_url_rule("/<int:note_id>/feature", view_func=cascade_views.feature, methods=["GET", "POST"])
bp.add_url_rule("/features/<int:feature_id>/stop", view_func=cascade_views.stop_feature, methods=["POST"])
bp.add_url_rule("/<int:note_id>/supersede", view_func=cascade_views.supersede, methods=["GET", "POST"])
bp.add_url_rule("/following", view_func=cascade_views.following)
bp.add_url_rule("/follow", view_func=cascade_views.follow, methods=["POST"])
bp.add_url_rule("/follows/<int:follow_id>/remove", view_func=cascade_views.unfollow, methods=["POST"])

bp.add_url_rule("/from-thanks/<int:post_id>", view_func=thanks_views.from_thanks, methods=["GET", "POST"])
bp.add_url_rule("/proposals/<int:proposal_id>", view_func=thanks_views.proposal)
bp.add_url_rule("/proposals/<int:proposal_id>/answer", view_func=thanks_views.answer, methods=["POST"])
