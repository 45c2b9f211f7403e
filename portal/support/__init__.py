"""Peer support: supporter profiles and availability, booking sessions, the waiting list, calendar invites and
feeds, and the supervision record."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "support.booking_created": _l("Booked a support session"),
    "support.booking_confirmed": _l("Confirmed a support session"),
    "support.booking_cancelled": _l("Cancelled a support session"),
    "support.booking_rescheduled": _l("Moved a support session"),
    "support.attendance_marked": _l("Recorded attendance at a session"),
    "support.reflections_saved": _l("Saved their reflections on a session"),
    "support.session_notes_saved": _l("Saved session notes"),
    "support.confidential_read": _l("Read a booking's confidential words"),
    "support.record_downloaded": _l("Downloaded their supervision record"),
    "support.waitlist_joined": _l("Joined a session's waiting list"),
    "support.offer_accepted": _l("Took a place offered from a waiting list"),
    "support.offer_lapsed": _l("A waiting-list place was not taken in time"),
    "support.calendar_feed_created": _l("Turned on their calendar feed"),
    "support.calendar_feed_revoked": _l("Turned off their calendar feed"),
    "support.profile_saved": _l("Saved their supporter profile"),
    "support.content_erased": _l("Erased old session words (retention)"),
    "support.region_set": _l("Set the bank holidays a unit keeps"),
}
# Who booked support, and what they read or wrote, is confidential: never listed to administrators.
CONFIDENTIAL_AUDIT = set(AUDIT_LABELS) - {"support.profile_saved", "support.content_erased", "support.region_set"}


def register(app: Flask) -> None:
    from portal.common.features import NavItem, Tool, contribute
    from portal.common.roles import Role
    from portal.support import demo, jobs, policies, services
    from portal.support.blueprint import bp
    from portal.support.views import waiting_items

    contribute(app, "support", blueprint=bp, policies=policies, jobs=jobs.JOBS, periodic=jobs.PERIODIC,
               notification_kinds=services.KINDS, waiting=waiting_items,
               nav=[NavItem("support.index", _l("Support"), "support.", order=30)],
               tools=[Tool(Role.SUPPORTER, "support.queue", _l("Your supporter queue")),
                      Tool(Role.SUPPORTER, "support.availability", _l("Your availability")),
                      Tool(Role.SUPPORTER, "support.profile", _l("Your supporter profile")),
                      Tool(Role.HR, "support.regions", _l("Bank holidays by unit")),
                      Tool(Role.ADMIN, "support.regions", _l("Bank holidays by unit"))],
               demo=demo.load_demo, audit_labels=AUDIT_LABELS, confidential_audit=CONFIDENTIAL_AUDIT)
