"""Recognition: thank-you cards, the wall, appreciations, comments, reports and moderation, values, people's
recognition pages, and the monthly summary to line managers."""

from flask import Flask
from flask_babel import lazy_gettext as _l

# Where recognition's pages lived before they moved under /thanks: links in old emails and bookmarks still work.
MOVED = {
    "/wall": "recognition.wall",
    "/thank-you/new": "recognition.thank_new",
    "/recognition/reports": "recognition.moderation",
    "/recognition/values": "recognition.values",
    "/recognition/values/<int:value_id>": "recognition.value",
    "/people/<int:person_id>/recognition": "recognition.profile",
    "/people/<int:person_id>/recognition.csv": "recognition.profile_csv",
}


AUDIT_LABELS = {
    "recognition.thanked": _l("Said thank you"),
    "recognition.edited": _l("Changed a thank-you"),
    "recognition.withdrawn": _l("Withdrew a thank-you"),
    "recognition.made_private": _l("Made a thank-you private"),
    "recognition.reported": _l("Reported a thank-you or comment"),
    "recognition.report_dismissed": _l("Kept a reported thank-you up"),
    "recognition.post_hidden": _l("Hid a thank-you"),
    "recognition.comment_hidden": _l("Hid a comment"),
    "recognition.exported": _l("Downloaded a person's recognition"),
    "recognition.award_announced": _l("Announced an award on the wall"),
    "recognition.value_added": _l("Added a value"),
    "recognition.value_renamed": _l("Renamed a value"),
    "recognition.value_retired": _l("Retired or restored a value"),
    "recognition.value_deleted": _l("Deleted a value"),
}


def register(app: Flask) -> None:
    from portal.common.features import NavItem, Tool, contribute
    from portal.common.roles import Role
    from portal.recognition import demo, monthly, policies, services
    from portal.recognition.blueprint import bp
    from portal.recognition.views import waiting_for_moderators

    contribute(app, "recognition", blueprint=bp, policies=policies, jobs=monthly.JOBS, periodic=monthly.PERIODIC,
               notification_kinds=[*services.KINDS, monthly.MONTHLY], waiting=waiting_for_moderators, moved=MOVED,
               nav=[NavItem("recognition.wall", _l("Thanks"), "recognition.", order=10)],
               tools=[Tool(Role.CHAMPION, "recognition.moderation", _l("Reported posts to review")),
                      Tool(Role.HR, "recognition.values", _l("Values people can thank for"))],
               demo=demo.load_demo, audit_labels=AUDIT_LABELS)
