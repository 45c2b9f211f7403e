"""The organisation: units of any depth (trust → directorate → service → team) and `flask units`."""

from flask import Flask
from flask_babel import lazy_gettext as _l

AUDIT_LABELS = {
    "unit.created": _l("Added a unit"),
    "unit.renamed": _l("Renamed a unit"),
    "unit.moved": _l("Moved a unit"),
}


def register(app: Flask) -> None:
    from portal.common.features import contribute
    from portal.org.blueprint import bp
    from portal.org.cli import units_cli

    contribute(app, "org", blueprint=bp, commands=[units_cli], audit_labels=AUDIT_LABELS)
