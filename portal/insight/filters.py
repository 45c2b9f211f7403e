"""What an insight page is about: how many months, and which unit (with everything beneath it), read from the query
string; and the units a "by unit" figure is split into (the chosen unit's children)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, literal, select, true

from portal.extensions import db
from portal.insight.periods import Month, last_months, parse_period
from portal.org.models import Unit
from portal.org.picker import UnitChoice, unit_choice
from portal.org.queries import subtree_unit_ids


@dataclass(frozen=True)
class InsightFilter:
    period: int  # months
    months: list[Month]
    picker: UnitChoice

    @property
    def unit(self) -> Unit | None:
        return self.picker.unit

    @property
    def args(self) -> dict[str, int]:
        """The same filter as query arguments, for the CSV links."""
        found = {"months": self.period}
        if self.unit is not None:
            found["unit"] = self.unit.id
        return found


def read_filter(args: Mapping[str, str]) -> InsightFilter:
    period = parse_period(args.get("months"))
    return InsightFilter(period=period, months=last_months(period), picker=unit_choice(args, "unit"))


def in_unit(unit_id_column, unit: Unit | None):
    """``unit_id_column`` is ``unit`` or beneath it (everything when no unit is chosen): one indexed prefix match."""
    return true() if unit is None else unit_id_column.in_(subtree_unit_ids(unit))


@dataclass(frozen=True)
class Bucket:
    """One row of a "by unit" figure: a child unit with everything beneath it, or the chosen unit on its own."""

    unit_id: int
    label: str
    path: str | None  # a child's path (its subtree); None for the chosen unit's own people


def unit_buckets(parent: Unit | None) -> list[Bucket]:
    """The chosen unit's children, by name, then the unit itself (for people directly in it); the top-level units
    when none is chosen. One query."""
    children = list(db.session.scalars(
        select(Unit).where(Unit.parent_id == parent.id if parent is not None else Unit.parent_id.is_(None))
        .order_by(Unit.name, Unit.id)))
    buckets = [Bucket(child.id, child.name, child.path) for child in children]
    if parent is not None:
        buckets.append(Bucket(parent.id, _("%(unit)s (not in a team beneath)", unit=parent.name), None))
    return buckets


def bucket_key(unit_path_column, buckets: list[Bucket]):
    """A CASE naming the bucket a row's unit (its path) falls in; rows outside every bucket get NULL."""
    children = [(unit_path_column.startswith(b.path, autoescape=True), b.unit_id) for b in buckets if b.path]
    itself = next((b.unit_id for b in buckets if b.path is None), None)
    if not children:
        return None if itself is None else literal(itself)
    return case(*children, else_=itself)
