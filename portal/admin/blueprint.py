"""The administration pages' addresses (mounted at /admin). Views are plain functions in the ``*_views`` modules;
this module is the one place that names their URLs."""

from flask import Blueprint

from portal.admin import audit_views, import_views, people_views, unit_views

bp = Blueprint("admin", __name__)

bp.add_url_rule("/users", view_func=people_views.users)
bp.add_url_rule("/users/new", view_func=people_views.user_new, methods=["GET", "POST"])
bp.add_url_rule("/users/<int:user_id>", view_func=people_views.user_edit, methods=["GET", "POST"])
bp.add_url_rule("/users/<int:user_id>/deactivate", view_func=people_views.user_deactivate, methods=["POST"])
bp.add_url_rule("/users/<int:user_id>/reactivate", view_func=people_views.user_reactivate, methods=["POST"])
bp.add_url_rule("/users/<int:user_id>/temporary-password", view_func=people_views.user_temporary_password,
                methods=["POST"])
bp.add_url_rule("/users/<int:user_id>/sign-out-everywhere", view_func=people_views.user_sign_out_everywhere,
                methods=["POST"])

bp.add_url_rule("/users/import", view_func=import_views.user_import, methods=["GET", "POST"])
bp.add_url_rule("/users/import/apply", view_func=import_views.user_import_apply, methods=["POST"])
bp.add_url_rule("/users/import/example.csv", view_func=import_views.user_import_example)

bp.add_url_rule("/units", view_func=unit_views.units, methods=["GET", "POST"])
bp.add_url_rule("/units/<int:unit_id>", view_func=unit_views.unit_edit, methods=["GET", "POST"])

bp.add_url_rule("/audit", view_func=audit_views.audit)
