"""Good practice: champions publish what works, staff submit their own, champions moderate their area; notes are
featured, superseded, re-verified, followed and sent round weekly, and a thank-you can become a note."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "practice.note_created": _l("Wrote a practice note"),
    "practice.note_edited": _l("Changed a practice note"),
    "practice.note_submitted": _l("Sent a practice note for review"),
    "practice.note_published": _l("Published a practice note"),
    "practice.note_approved": _l("Approved a practice note"),
    "practice.changes_requested": _l("Asked for changes to a practice note"),
    "practice.note_rejected": _l("Decided not to publish a practice note"),
    "practice.personal_data_cleared": _l("Cleared a practice note's personal-data warning"),
    "practice.note_flagged": _l("Flagged a practice note"),
    "practice.note_hidden_by_flags": _l("A practice note was hidden by its flags"),
    "practice.note_kept": _l("Kept a flagged practice note up"),
    "practice.note_hidden": _l("Hid a practice note"),
    "practice.note_archived": _l("Archived a practice note"),
    "practice.note_superseded": _l("Marked a practice note superseded"),
    "practice.note_reverified": _l("Re-verified a practice note"),
    "practice.note_featured": _l("Featured a practice note to a unit"),
    "practice.feature_stopped": _l("Stopped featuring a practice note"),
    "practice.review_due": _l("A practice note came due for review"),
    "practice.commented": _l("Commented on a practice note"),
    "practice.comment_reported": _l("Reported a comment on a practice note"),
    "practice.comment_hidden": _l("Hid a comment on a practice note"),
    "practice.comment_kept": _l("Kept a reported comment on a practice note up"),
    "practice.thanks_proposed": _l("Asked to turn a thank-you into a practice note"),
    "practice.thanks_answered": _l("Answered whether a thank-you may become a practice note"),
}


def register(app: Flask) -> None:
    from portal.common.features import NavItem, Tool, contribute
    from portal.common.roles import Role
    from portal.practice import demo, jobs, notices, policies
    from portal.practice.blueprint import bp
    from portal.practice.views import queue_badge_context, waiting_items

    contribute(app, "practice", blueprint=bp, policies=policies, jobs=jobs.JOBS, periodic=jobs.PERIODIC,
               notification_kinds=notices.KINDS, waiting=waiting_items,
               nav=[NavItem("practice.index", _l("Good practice"), "practice.", order=35)],
               tools=[Tool(Role.CHAMPION, "practice.review", _l("Notes to review"))],
               context_processors=[queue_badge_context],  # the champion's queue count for the header badge
               demo=demo.load_demo, audit_labels=AUDIT_LABELS)
