"""Mentoring: browse mentors, ask, accept or decline (or lapse), agree, check in, end."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "mentoring.requested": _l("Asked someone to mentor them"),
    "mentoring.accepted": _l("Accepted a mentoring request"),
    "mentoring.declined": _l("Declined a mentoring request"),
    "mentoring.lapsed": _l("A mentoring request lapsed"),
    "mentoring.agreed": _l("Recorded a mentoring agreement"),
    "mentoring.first_check": _l("Recorded a mentoring check-in"),
    "mentoring.ended": _l("Ended a mentoring"),
    "mentoring.read": _l("Read a mentoring's confidential words"),
    "mentoring.content_erased": _l("Erased old mentoring words (retention)"),
}
# Who is mentored by whom is confidential: never listed to administrators.
CONFIDENTIAL_AUDIT = set(AUDIT_LABELS) - {"mentoring.content_erased"}


def register(app: Flask) -> None:
    from portal.common.features import NavItem, contribute
    from portal.mentoring import demo, jobs, policies, services
    from portal.mentoring.blueprint import bp
    from portal.mentoring.views import waiting_items

    contribute(app, "mentoring", blueprint=bp, policies=policies, jobs=jobs.JOBS, periodic=jobs.PERIODIC,
               notification_kinds=services.KINDS,
               waiting=waiting_items, nav=[NavItem("mentoring.index", _l("Mentoring"), "mentoring.", order=40)],
               demo=demo.load_demo, audit_labels=AUDIT_LABELS, confidential_audit=CONFIDENTIAL_AUDIT)
