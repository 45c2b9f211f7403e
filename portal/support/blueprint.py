"""The peer-support pages' addresses. Views are plain functions; this module is the one place that names their
URLs (and the two template filters the support pages use)."""

from flask import Blueprint

from portal.support import booking_views, calendar_views, region_views, supporter_views, views

bp = Blueprint("support", __name__, url_prefix="/support")

bp.add_app_template_filter(views.hhmm, "hhmm")
bp.add_app_template_filter(views.profile_modes, "profile_modes")
bp.add_app_template_filter(views.booking_mode, "booking_mode")

# Booking support.
bp.add_url_rule("", view_func=views.index)
bp.add_url_rule("/book", view_func=views.book)
bp.add_url_rule("/book/confirm", view_func=views.confirm, methods=["GET", "POST"])
bp.add_url_rule("/waitlist", view_func=views.waitlist, methods=["POST"])

# One booking, for its two people.
bp.add_url_rule("/bookings/<int:booking_id>", view_func=booking_views.booking)
bp.add_url_rule("/bookings/<int:booking_id>/cancel", view_func=booking_views.cancel, methods=["GET", "POST"])
bp.add_url_rule("/bookings/<int:booking_id>/reschedule", view_func=booking_views.reschedule,
                methods=["GET", "POST"])
bp.add_url_rule("/bookings/<int:booking_id>/confirm", view_func=booking_views.confirm_booking_view,
                methods=["POST"])
bp.add_url_rule("/bookings/<int:booking_id>/accept", view_func=booking_views.accept, methods=["POST"])
bp.add_url_rule("/bookings/<int:booking_id>/attendance", view_func=booking_views.attendance, methods=["POST"])
bp.add_url_rule("/bookings/<int:booking_id>/reflections", view_func=booking_views.reflections, methods=["POST"])
bp.add_url_rule("/bookings/<int:booking_id>/notes", view_func=booking_views.session_notes, methods=["POST"])
bp.add_url_rule("/bookings/<int:booking_id>/calendar.ics", view_func=booking_views.calendar_file)
bp.add_url_rule("/record.csv", view_func=booking_views.record_csv)

# Supporters.
bp.add_url_rule("/profile", view_func=supporter_views.profile, methods=["GET", "POST"])
bp.add_url_rule("/availability", view_func=supporter_views.availability)
bp.add_url_rule("/availability/weekly", view_func=supporter_views.add_weekly, methods=["POST"])
bp.add_url_rule("/availability/one-off", view_func=supporter_views.add_one_off_view, methods=["POST"])
bp.add_url_rule("/availability/exception", view_func=supporter_views.add_exception_view, methods=["POST"])
bp.add_url_rule("/availability/weekly/<int:item_id>/remove", view_func=supporter_views.remove_weekly,
                methods=["POST"])
bp.add_url_rule("/availability/one-off/<int:item_id>/remove", view_func=supporter_views.remove_one_off,
                methods=["POST"])
bp.add_url_rule("/availability/exception/<int:item_id>/remove", view_func=supporter_views.remove_exception,
                methods=["POST"])
bp.add_url_rule("/queue", view_func=supporter_views.queue)

# Bank holidays: which region each unit keeps.
bp.add_url_rule("/bank-holidays", view_func=region_views.regions, methods=["GET", "POST"])

# Calendar feeds.
bp.add_url_rule("/calendar", view_func=calendar_views.calendar)
bp.add_url_rule("/calendar", view_func=calendar_views.calendar_create, methods=["POST"])
bp.add_url_rule("/calendar/revoke", view_func=calendar_views.calendar_revoke, methods=["POST"])
bp.add_url_rule("/calendar/<token>.ics", view_func=calendar_views.calendar_feed)
