"""The notification pages' addresses. Views are plain functions; this module is the one place that names their URLs.

One blueprint, no url_prefix, full paths: each person's pages live under /notifications, while the email outbox
stays under /admin/emails with the rest of the administrators' area. A Flask url_prefix applies to every rule of its
blueprint, so the outbox could only escape it through a second blueprint (renaming its endpoints away from
``notifications.outbox``, which the header, the home page's tools and links rely on) or through rules added to the
app outside this file; full paths keep every address of the feature, and its endpoint names, here.
"""

from flask import Blueprint

from portal.notifications import admin_views, views

bp = Blueprint("notifications", __name__)

bp.add_url_rule("/notifications", view_func=views.inbox)
bp.add_url_rule("/notifications/bell", view_func=views.bell)
bp.add_url_rule("/notifications/<int:notification_id>/open", view_func=views.open_notification, methods=["POST"])
bp.add_url_rule("/notifications/<int:notification_id>/read", view_func=views.read_one, methods=["POST"])
bp.add_url_rule("/notifications/read-all", view_func=views.read_all, methods=["POST"])
bp.add_url_rule("/notifications/preferences", view_func=views.preferences, methods=["GET", "POST"])

bp.add_url_rule("/admin/emails", view_func=admin_views.outbox)
bp.add_url_rule("/admin/emails/<int:email_id>", view_func=admin_views.outbox_email)
bp.add_url_rule("/admin/emails/<int:email_id>/retry", view_func=admin_views.retry, methods=["POST"])
bp.add_url_rule("/admin/emails/retry-dead", view_func=admin_views.retry_dead, methods=["POST"])
