"""De-briefs after a difficult contact: ask, route to duty supporters, claim, hold, follow up, close; the duty
rota, HR's signposting and timings, and HR's figures."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "debrief.requested": _l("Asked for a de-brief"),
    "debrief.escalated": _l("A de-brief request was passed further up"),
    "debrief.claimed": _l("Picked up a de-brief"),
    "debrief.held": _l("Recorded that a de-brief was held"),
    "debrief.checked_in": _l("Recorded a de-brief check-in"),
    "debrief.closed": _l("Closed a de-brief"),
    "debrief.read": _l("Read a de-brief's confidential words"),
    "debrief.content_erased": _l("Erased old de-brief words (retention)"),
    "debrief.duty_added": _l("Put a supporter on de-brief duty"),
    "debrief.duty_removed": _l("Took a supporter off de-brief duty"),
    "debrief.lead_set": _l("Set a unit's lead for de-briefs"),
    "debrief.settings_changed": _l("Changed the de-brief settings"),
}
# Who asked for a de-brief, and who read or followed it up, is confidential: never listed to administrators.
CONFIDENTIAL_AUDIT = {"debrief.requested", "debrief.escalated", "debrief.claimed", "debrief.held",
                      "debrief.checked_in", "debrief.closed", "debrief.read"}


def register(app: Flask) -> None:
    from portal.common.features import Tool, contribute
    from portal.common.roles import Role
    from portal.debriefs import demo, jobs, policies, services
    from portal.debriefs.blueprint import bp
    from portal.debriefs.views import waiting_items

    contribute(app, "debriefs", blueprint=bp, policies=policies, jobs=jobs.JOBS, periodic=jobs.PERIODIC,
               notification_kinds=services.KINDS,
               waiting=waiting_items, moved={"/debrief/new": "debriefs.new"},
               tools=[Tool(Role.SUPPORTER, "debriefs.queue", _l("De-brief requests")),
                      Tool(Role.HR, "debriefs.rota", _l("Duty supporters and unit leads")),
                      Tool(Role.HR, "debriefs.settings", _l("De-brief signposting and timings")),
                      Tool(Role.ADMIN, "debriefs.rota", _l("Duty supporters and unit leads"))],
               demo=demo.load_demo, audit_labels=AUDIT_LABELS, confidential_audit=CONFIDENTIAL_AUDIT)
