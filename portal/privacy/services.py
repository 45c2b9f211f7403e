"""People's own data: the subject access export (collected in export.py and its section modules) and the leavers
job (leavers.py). This module is what views and jobs call."""

from __future__ import annotations

from datetime import datetime

from portal.auth.models import User
from portal.common.audit import record_event
from portal.db import utcnow
from portal.privacy.export import Section, everything_about
from portal.privacy.leavers import anonymise_due_leavers, anonymise_leaver

__all__ = ["anonymise_due_leavers", "anonymise_leaver", "export_personal_data"]


def export_personal_data(*, person: User, file_format: str, now: datetime | None = None) -> list[Section]:
    """Everything Frontline holds about ``person``, for ``person`` alone; recorded in the audit log (it includes
    their confidential peer-support words). ``file_format`` is "html" (the page) or "json" (the download)."""
    sections = everything_about(person)
    record_event("privacy.data_exported", actor=person, target=person, format=file_format,
                 at=(now or utcnow()).isoformat())
    return sections
