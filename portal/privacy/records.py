"""One section of a subject access export (portal/privacy/export.py): a title, the fields shown, the records; and
how a value is shown on the page and written to the JSON file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from portal.common.i18n import when


@dataclass(frozen=True)
class Section:
    key: str  # the JSON key
    title: str
    fields: list[tuple[str, str]]  # (key, label), in the order shown
    items: list[dict[str, Any]]
    about: str = ""  # one sentence on what is (and is not) included

    def rows(self, item: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, text) for one record on the page, leaving out empty values."""
        return [(label, display(item.get(key))) for key, label in self.fields
                if item.get(key) not in (None, "", [], {})]


def display(value: Any) -> str:
    """A value as the page shows it: London times, labels of states, lists joined."""
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum) and hasattr(value, "label"):
        return value.label
    if isinstance(value, bool):
        from flask_babel import gettext as _

        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return "; ".join(display(v) for v in value)
    return str(value)


def plain(value: Any) -> Any:
    """A value for the JSON file: ISO times in UTC, states as their stored values."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value
