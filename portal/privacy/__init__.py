"""People's own data: everything Frontline holds about a person, for them to download; leavers anonymised after
the retention period."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "privacy.data_exported": _l("Downloaded everything Frontline holds about them"),
    "privacy.leaver_anonymised": _l("Removed a leaver's personal data (retention)"),
}


def register(app: Flask) -> None:
    from portal.common.features import contribute
    from portal.privacy import jobs, models  # noqa: F401  (models: the anonymised_leaver table)
    from portal.privacy.blueprint import bp

    # Linked from "Your account" (templates/auth/change_password.html): staff have no "Your tools".
    contribute(app, "privacy", blueprint=bp, jobs=jobs.JOBS, periodic=jobs.PERIODIC, audit_labels=AUDIT_LABELS)
