"""Reading the unit tree."""

from __future__ import annotations

from sqlalchemy import Select, select

from portal.extensions import db
from portal.org.models import Unit


def subtree_unit_ids(unit: Unit) -> Select[tuple[int]]:
    """A subquery of the ids of ``unit`` and every unit beneath it (one indexed prefix match)."""
    return select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))


def units_in_tree_order() -> list[Unit]:
    return list(db.session.scalars(select(Unit)))


def unit_labels() -> dict[int, str]:
    """Every unit's full name, "Trust / PALS / North team", in one query."""
    units = {unit.id: unit for unit in db.session.scalars(select(Unit))}
    labels: dict[int, str] = {}
    for unit in units.values():
        labels[unit.id] = " / ".join(units[i].name for i in [*unit.ancestor_ids, unit.id] if i in units)
    return dict(sorted(labels.items(), key=lambda item: item[1].lower()))


def unit_choices() -> list[tuple[int, str]]:
    return list(unit_labels().items())
