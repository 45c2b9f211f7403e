"""The sign-in pages' addresses (at the root: /login, /login/sso, /logout, /account/password, /password/…,
/language). Views are plain functions in views.py and password_views.py; this module is the one place that names
their URLs."""

from flask import Blueprint

from portal.auth import invitation_views, password_views, views
from portal.auth.emails import CHOOSE_PASSWORD_PATH

bp = Blueprint("auth", __name__)

bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/login/sso", endpoint="single_sign_on", view_func=views.single_sign_on)
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/account/password", endpoint="change_password", view_func=views.change_password_view,
                methods=["GET", "POST"])
bp.add_url_rule("/language", view_func=views.choose_language, methods=["POST"])

bp.add_url_rule("/password/reset", endpoint="request_reset", view_func=password_views.request_reset,
                methods=["GET", "POST"])
bp.add_url_rule("/password/reset/sent", endpoint="reset_sent", view_func=password_views.reset_sent)
bp.add_url_rule(CHOOSE_PASSWORD_PATH + "<link_token>", endpoint="open_link", view_func=password_views.open_link)
bp.add_url_rule(CHOOSE_PASSWORD_PATH.rstrip("/"), endpoint="choose_password",
                view_func=password_views.choose_password_view, methods=["GET", "POST"])

# An administration action that belongs to this feature (the administration blueprint is mounted at /admin).
bp.add_url_rule("/admin/users/<int:user_id>/invite", endpoint="invite", view_func=invitation_views.invite,
                methods=["POST"])
