"""Awards: schemes, nominations, co-signing, endorsement, blind panel review, decisions and announcements."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "awards.scheme_created": _l("Created an award scheme"),
    "awards.scheme_updated": _l("Changed an award scheme"),
    "awards.nominated": _l("Nominated someone for an award"),
    "awards.endorsed": _l("Endorsed a nomination"),
    "awards.withdrawn": _l("Withdrew a nomination"),
    "awards.decided": _l("Decided a nomination"),
    "awards.publicity_consent": _l("Answered about an award's announcement"),
}


def register(app: Flask) -> None:
    from portal.awards import demo, jobs, policies, services
    from portal.awards.blueprint import bp
    from portal.awards.views import waiting_items
    from portal.common.features import NavItem, Tool, contribute
    from portal.common.roles import Role

    contribute(app, "awards", blueprint=bp, policies=policies, jobs=jobs.JOBS, notification_kinds=services.KINDS,
               waiting=waiting_items, nav=[NavItem("awards.index", _l("Awards"), "awards.", order=20)],
               tools=[Tool(Role.PANEL, "awards.panel", _l("Nominations for your panel")),
                      Tool(Role.HR, "awards.schemes", _l("Award schemes"))],
               demo=demo.load_demo, audit_labels=AUDIT_LABELS)
