"""What an export or an API call asks for: the London days, the unit (and everything beneath it), the kinds of
recognition, a value, a scheme, the statuses, and whether to add message text or pseudonymise givers.

The same filters travel as query parameters (the download links, the API) and are written to the audit log, so
they have one plain representation here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from portal.db import Choice
from portal.extensions import db


class RecognitionType(Choice):
    THANK_YOU = "thank-you", _l("Thank-yous")
    NOMINATION = "nomination", _l("Award nominations")
    AWARD = "award", _l("Award announcements")


class RowStatus(Choice):
    """Where a row's recognition stands (thank-yous and announcements: the first three; nominations: the rest)."""

    PUBLISHED = "published", _l("Published")
    HIDDEN = "hidden", _l("Hidden by a moderator")
    WITHDRAWN = "withdrawn", _l("Withdrawn by the giver")
    PENDING = "pending", _l("Nomination waiting for a decision")
    AWARDED = "awarded", _l("Awarded")
    DECLINED = "declined", _l("Not awarded or not endorsed")
    CONVERTED = "converted", _l("Turned into a thank-you")


POST_STATUSES = frozenset({RowStatus.PUBLISHED, RowStatus.HIDDEN, RowStatus.WITHDRAWN})
NOMINATION_STATUSES = frozenset({RowStatus.PENDING, RowStatus.AWARDED, RowStatus.DECLINED, RowStatus.CONVERTED,
                                 RowStatus.WITHDRAWN})


@dataclass(frozen=True)
class UnitRef:
    """The unit chosen, as plain values: an export's rows are streamed after the request's database session has
    ended, so the filters carry no database objects."""

    id: int
    name: str
    path: str
    # The unit and every unit beneath it, read when the filters are made. As plain ids they let PostgreSQL plan the
    # export from the units' own recipients (an index scan); as a subquery it read every recipient (scale M: a
    # 30-day directorate export's statement took 197 ms instead of 76).
    subtree_ids: tuple[int, ...]  # never empty: the unit itself is in it

    @classmethod
    def of(cls, unit) -> UnitRef | None:
        if unit is None:
            return None
        from portal.org.queries import subtree_unit_ids

        return cls(id=unit.id, name=unit.name, path=unit.path,
                   subtree_ids=tuple(db.session.scalars(subtree_unit_ids(unit))))

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


@dataclass(frozen=True)
class ExportFilters:
    """Empty ``types``/``statuses`` mean all of them; ``first``/``last`` are London days, both included."""

    first: date | None = None
    last: date | None = None
    unit: UnitRef | None = None
    types: frozenset[RecognitionType] = field(default_factory=frozenset)
    value_id: int | None = None
    scheme_id: int | None = None
    statuses: frozenset[RowStatus] = field(default_factory=frozenset)
    include_message: bool = False
    pseudonymise: bool = False

    def wants(self, kind: RecognitionType) -> bool:
        return not self.types or kind in self.types

    def query_args(self) -> dict[str, object]:
        """The filters as the contract's query parameters (for download links and the audit log)."""
        args: dict[str, object] = {}
        if self.first:
            args["from"] = self.first.isoformat()
        if self.last:
            args["to"] = self.last.isoformat()
        if self.unit is not None:
            args["unit"] = self.unit.id
        if self.types:
            args["type"] = sorted(t.value for t in self.types)
        if self.value_id is not None:
            args["value"] = self.value_id
        if self.scheme_id is not None:
            args["scheme"] = self.scheme_id
        if self.statuses:
            args["status"] = sorted(s.value for s in self.statuses)
        if self.include_message:
            args["message"] = "1"
        if self.pseudonymise:
            args["pseudonymise"] = "1"
        return args
