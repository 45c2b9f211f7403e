"""The export's columns: their names, what they mean (the data dictionary page and the spreadsheet's "Columns"
sheet are written from this list), and how one row from ``portal/hr/queries.py`` becomes one record.

A record is ready for its format (``Format``): the CSV and spreadsheet writers (``portal/hr/writers.py``) and the
API's JSON write its values as they are.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select

from portal.common.london import LONDON
from portal.common.spreadsheets import FORMULA_STARTS, safe_cell
from portal.extensions import db
from portal.hr.filters import ExportFilters
from portal.hr.queries import FIELDS, MESSAGE_FIELDS
from portal.org.models import Unit

# Excel's limit on the characters in one cell.
CELL_CHARACTERS = 32_767


@dataclass(frozen=True)
class Column:
    name: str
    meaning: Any
    example: str
    empty: Any  # when the cell is empty
    message_only: bool = False


NEVER = _l("Never.")
NOT_NOMINATION = _l("Thank-yous and award announcements.")
NOMINATIONS_ONLY = _l("Nominations only; empty for thank-yous and award announcements.")

COLUMNS = [
    Column("recognition_id", _l("Which thank-you, award announcement or nomination the row comes from: T- for a "
                                "thank-you, A- for an award announcement, N- for a nomination, then its number. A "
                                "thank-you to three people gives three rows with the same id."), "T-1042", NEVER),
    Column("type", _l("thank-you, award (an award announced on the thanks wall) or nomination."), "thank-you", NEVER),
    Column("given_on", _l("The London date it was given or the nomination made: the date the From and To filters "
                          "use, both days included."), "2025-03-14", NEVER),
    Column("given_at", _l("The date and time it was given, London time with its offset from UTC (ISO 8601). In the "
                          "spreadsheet: London time."), "2025-03-14T16:05:09+00:00", NEVER),
    Column("endorsed_at", _l("When the nominee's line manager endorsed the nomination."), "2025-03-15T09:12:44+00:00",
           _l("Thank-yous and announcements; nominations not endorsed (yet), or in schemes that do not ask.")),
    Column("sent_to_panel_at", _l("When the nomination reached the award panel."), "2025-03-15T09:12:44+00:00",
           _l("Thank-yous and announcements; nominations that have not reached the panel.")),
    Column("decided_at", _l("When the panel decided, or the line manager declined to endorse."),
           "2025-04-02T11:30:00+01:00", _l("Thank-yous and announcements; nominations not decided.")),
    Column("made_private_at", _l("When a person thanked made the thank-you private."), "2025-03-14T18:00:00+00:00",
           _l("Nominations; thank-yous nobody made private.")),
    Column("withdrawn_at", _l("When the giver withdrew the thank-you or the nomination."), "2025-03-14T16:07:30+00:00",
           _l("Anything not withdrawn.")),
    Column("hidden_at", _l("When a service champion or HR hid the thank-you from the wall."),
           "2025-03-20T10:00:00+00:00", _l("Nominations; thank-yous not hidden.")),
    Column("giver", _l("Who gave it: the author of a thank-you, the nominator, or for an award announcement the "
                       "panel member who recorded the decision. With \"Pseudonymise givers\": a code that stands for "
                       "the same person in every export and cannot be turned back into a name."),
           "Priya Shah", NEVER),
    Column("giver_staff_number", _l("The giver's staff number."), "100234",
           _l("Pseudonymised exports; people without a staff number.")),
    Column("giver_unit", _l("Where the giver worked when they gave it, from the top of the organisation down."),
           "Northfield NHS Trust / PALS / North team", _l("Givers whose unit was not recorded.")),
    Column("recipient", _l("The person recognised, or the team's name when a whole team was thanked or nominated."),
           "Tom Byrne", NEVER),
    Column("recipient_type", _l("person or team."), "person", NEVER),
    Column("recipient_staff_number", _l("The recipient's staff number."), "100871",
           _l("Teams; people without a staff number.")),
    Column("recipient_unit", _l("Where the recipient worked when recognised (for a team: the team). The Unit filter "
                                "uses this, with every unit beneath the one chosen."),
           "Northfield NHS Trust / PALS / North team", NEVER),
    Column("values", _l("The values the thank-you was given for, separated by semicolons."),
           "Listened; Kept informed", _l("Award announcements and nominations.")),
    Column("scheme", _l("The award scheme of the nomination."), "Patient Experience Awards 2025", NOMINATIONS_ONLY),
    Column("category", _l("The award category of the nomination."), "Compassion under pressure", NOMINATIONS_ONLY),
    Column("status", _l("published, hidden or withdrawn for thank-yous and announcements; pending, awarded, declined "
                        "(not awarded or not endorsed), converted (turned into a thank-you) or withdrawn for "
                        "nominations."), "published", NEVER),
    Column("stage", _l("The nomination's exact step: submitted, endorsed, not-endorsed, in-review, awarded, "
                       "not-awarded, converted or withdrawn."), "in-review", NOMINATIONS_ONLY),
    Column("decision", _l("The decision on the nomination: awarded, not-awarded, converted or not-endorsed."),
           "awarded", _l("Thank-yous and announcements; nominations still waiting or withdrawn.")),
    Column("days_to_decision", _l("Whole days (London calendar days) from the nomination to its decision."), "18",
           _l("Anything without a decision.")),
    Column("visibility", _l("Who could see the thank-you in Frontline: public (the thanks wall), team or private."),
           "public", _l("Nominations.")),
    Column("message", _l("Only with \"Include message text\": what they did, the difference it made and what we can "
                         "learn (separated by blank lines), or the nominator's answers. Private and team thank-yous "
                         "are only included for people who could read them in Frontline."),
           "You stayed on the line with a caller in crisis…", _l("When the words are withheld (see next column)."),
           message_only=True),
    Column("message_withheld", _l("Only with \"Include message text\": why the words are not in the row: private, "
                                  "team, hidden or withdrawn."), "private", _l("When the words are included."),
           message_only=True),
]


def columns_for(filters: ExportFilters) -> list[Column]:
    return [column for column in COLUMNS if filters.include_message or not column.message_only]


@dataclass(frozen=True)
class UnitNames:
    """Every unit's own name and its full name ("Trust / PALS / North team"), read in one query: the export looks
    them up instead of joining the unit tree into every row."""

    short: dict[int, str]
    full: dict[int, str]

    @classmethod
    def load(cls) -> UnitNames:
        units = db.session.execute(select(Unit.id, Unit.name, Unit.path)).all()
        short = {unit_id: name for unit_id, name, _path in units}
        full = {unit_id: " / ".join(short.get(int(part), "…") for part in path.strip("/").split("/"))
                for unit_id, _name, path in units}
        return cls(short=short, full=full)


PREFIXES = {"thank_you": "T-", "award": "A-", "nomination": "N-"}
TYPES = {"thank_you": "thank-you", "award": "award", "nomination": "nomination"}
STAGES = {state: state.replace("_", "-") for state in ("submitted", "endorsed", "not_endorsed", "in_review", "awarded",
                                                       "not_awarded", "converted", "withdrawn")}
DECISIONS = {"awarded", "not-awarded", "converted", "not-endorsed"}
# Where each of the statement's columns is in a row (rows are read by position: it is the fastest way).
_AT = {name: index for index, name in enumerate(FIELDS + MESSAGE_FIELDS)}
(SOURCE_ID, KIND, GIVEN_AT, ENDORSED_AT, SENT_AT, DECIDED_AT, PRIVATE_AT, WITHDRAWN_AT, HIDDEN_AT, GIVER_ID, GIVER_NAME,
 GIVER_NUMBER, GIVER_UNIT, RECIPIENT_ID, RECIPIENT_NAME, RECIPIENT_NUMBER, RECIPIENT_UNIT, VALUES, SCHEME, CATEGORY,
 STATUS, STAGE, VISIBILITY, TITLE, MESSAGE, DIFFERENCE, LEARNING, WITHHELD) = (_AT[name] for name in (
    "source_id", "kind", "given_at", "endorsed_at", "sent_to_panel_at", "decided_at", "made_private_at",
    "withdrawn_at", "hidden_at", "giver_id", "giver_name", "giver_staff_number", "giver_unit_id", "recipient_id",
    "recipient_name", "recipient_staff_number", "recipient_unit_id", "value_names", "scheme", "category", "status",
    "stage", "visibility", "title", "message", "difference", "learning", "message_withheld"))


def london(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(LONDON)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(LONDON).isoformat(timespec="seconds") if value is not None else None


def _naive(value: datetime | None) -> datetime | None:
    """Excel has no time zones: London wall-clock time, to the second (as the data dictionary says)."""
    return None if value is None else value.astimezone(LONDON).replace(tzinfo=None, microsecond=0)


def spreadsheet_text(value: str | None) -> str | None:
    if value is None:
        return None
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value)[:CELL_CHARACTERS])


_FORMULA_STARTS = frozenset(FORMULA_STARTS)


def _csv_text(value: str | None) -> str | None:
    """``safe_cell`` for text, inlined: a million rows pass through here several times each."""
    if value and value[0] in _FORMULA_STARTS:
        return "'" + value
    return value


def _plain_text(value: str | None) -> str | None:
    return value


def pseudonym_key() -> bytes:
    """The key of givers' pseudonyms: the same giver has the same pseudonym in every export from this service."""
    return hmac.new(current_app.config["SECRET_KEY"].encode(), b"frontline hr export giver pseudonyms",
                    hashlib.sha256).digest()


class Format(StrEnum):
    CSV = "csv"  # text made inert for spreadsheets; ISO 8601 dates and times
    XLSX = "xlsx"  # text made inert and XML-safe; dates and London times as spreadsheet values
    JSON = "json"  # text as written; ISO 8601 dates and times


FORMATTERS = {
    Format.CSV: (_csv_text, _iso, date.isoformat),
    Format.XLSX: (spreadsheet_text, _naive, lambda day: day),
    Format.JSON: (_plain_text, _iso, date.isoformat),
}


class RowFormatter:
    """Turns the statement's rows into records in the order of ``columns_for(filters)``, ready for ``fmt``: every
    text cell of a CSV or spreadsheet through ``safe_cell``. Built for speed: a million rows go through ``record``."""

    def __init__(self, filters: ExportFilters, units: UnitNames, fmt: Format):
        self.message = filters.include_message
        self.pseudonymise = filters.pseudonymise
        self.text, self.time, self.day = FORMATTERS[fmt]
        self.unit_short = {unit_id: self.text(name) for unit_id, name in units.short.items()}
        self.unit_full = {unit_id: self.text(name) for unit_id, name in units.full.items()}
        key = pseudonym_key()
        self.pseudonym = lru_cache(maxsize=8192)(
            lambda giver_id: "pseudonym-" + hmac.new(key, str(giver_id).encode(), hashlib.sha256).hexdigest()[:12])

    def record(self, row) -> list[Any]:
        text, time = self.text, self.time
        given, decided = row[GIVEN_AT].astimezone(LONDON), row[DECIDED_AT]
        kind, stage = row[KIND], STAGES.get(row[STAGE])
        if self.pseudonymise:
            giver, giver_number = self.pseudonym(row[GIVER_ID]), None
        else:
            giver, giver_number = text(row[GIVER_NAME]), text(row[GIVER_NUMBER])
        team = row[RECIPIENT_ID] is None
        values = [
            PREFIXES[kind] + str(row[SOURCE_ID]), TYPES[kind], self.day(given.date()), time(given),
            time(row[ENDORSED_AT]), time(row[SENT_AT]), time(decided), time(row[PRIVATE_AT]),
            time(row[WITHDRAWN_AT]), time(row[HIDDEN_AT]),
            giver, giver_number, self.unit_full.get(row[GIVER_UNIT]),
            text(row[RECIPIENT_NAME]) if row[RECIPIENT_NAME] is not None else self.unit_short.get(row[RECIPIENT_UNIT]),
            "team" if team else "person", text(row[RECIPIENT_NUMBER]), self.unit_full.get(row[RECIPIENT_UNIT]),
            text(row[VALUES]), text(row[SCHEME]), text(row[CATEGORY]), row[STATUS], stage,
            stage if stage in DECISIONS else None,
            None if decided is None else (decided.astimezone(LONDON).date() - given.date()).days, row[VISIBILITY],
        ]
        if self.message:
            withheld = row[WITHHELD]
            words = None if withheld is not None else "\n\n".join(
                part for part in (row[TITLE], row[MESSAGE], row[DIFFERENCE], row[LEARNING]) if part)
            values += [text(words), withheld]
        return values
