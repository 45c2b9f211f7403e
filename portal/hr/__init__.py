"""HR exports: recognition data as CSV and spreadsheets, its data dictionary, and a read-only API for HR systems."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "hr.exported": _l("Exported recognition data"),
    "hr.api_read": _l("An HR system read recognition data"),
    "hr.token_created": _l("Made an API token for an HR system"),
    "hr.token_revoked": _l("Revoked an API token"),
}


def register(app: Flask) -> None:
    from portal.common.features import NavItem, Tool, contribute
    from portal.common.roles import Role
    from portal.hr import policies
    from portal.hr.blueprint import bp

    contribute(app, "hr", blueprint=bp, policies=policies,
               nav=[NavItem("hr.exports", _l("Exports"), "hr.", order=50)],
               tools=[Tool(Role.HR, "hr.exports", _l("Export recognition data")),
                      Tool(Role.HR, "hr.columns", _l("What each export column means")),
                      Tool(Role.HR, "hr.tokens", _l("API tokens for HR systems"))],
               audit_labels=AUDIT_LABELS)
