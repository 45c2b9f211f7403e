"""The supervision record: a person's own attended sessions and reflections, as CSV for revalidation."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from portal.auth.models import User
from portal.common.audit import record_event
from portal.common.i18n import when
from portal.common.spreadsheets import safe_cell
from portal.support.queries import supervision_record


def supervision_record_csv(*, user: User) -> str:
    """The person's attended sessions, oldest first, with their reflections. Reflections are confidential, so the
    download is audited (the event says how many sessions, never what they say)."""
    rows = supervision_record(user=user)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Date"), _("Kind"), _("Supporter"), _("Length in minutes"), _("Your reflections")])
    for row in rows:
        writer.writerow([when(row.starts_at), row.kind.label, safe_cell(row.supporter.display_name), row.minutes,
                         safe_cell(row.reflections)])
    record_event("support.record_downloaded", actor=user, target=user, sessions=len(rows))
    return out.getvalue()

