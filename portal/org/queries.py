"""Reading the unit tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from portal.extensions import db
from portal.org.models import Unit


@dataclass
class UnitNode:
    """One unit in the tree, with how many active people sit directly in it."""

    unit: Unit
    people: int = 0
    children: list[UnitNode] = field(default_factory=list)


def subtree_unit_ids(unit: Unit) -> Select[tuple[int]]:
    """A subquery of the ids of ``unit`` and every unit beneath it (one indexed prefix match)."""
    return select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))


def people_count_by_unit() -> dict[int, int]:
    """Active people directly in each unit (units with nobody are absent), in one grouped query."""
    from portal.auth.models import User  # auth's models import ours

    rows = db.session.execute(
        select(User.unit_id, func.count()).where(User.is_active_account.is_(True)).group_by(User.unit_id)
    )
    return {unit_id: count for unit_id, count in rows}


def unit_tree(*, with_counts: bool = False) -> list[UnitNode]:
    """The whole tree, siblings by name: one query for the units (and one for the counts when asked)."""
    units = list(db.session.scalars(select(Unit)))
    counts = people_count_by_unit() if with_counts else {}
    nodes = {unit.id: UnitNode(unit=unit, people=counts.get(unit.id, 0)) for unit in units}
    roots: list[UnitNode] = []
    for unit in units:
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent is not None else roots).append(nodes[unit.id])
    for node in nodes.values():
        node.children.sort(key=_node_key)
    roots.sort(key=_node_key)
    return roots


def _node_key(node: UnitNode) -> tuple[str, int]:
    return node.unit.name.casefold(), node.unit.id


def _labels(units: list[Unit]) -> dict[int, str]:
    by_id = {unit.id: unit for unit in units}
    labels = {unit.id: " / ".join(by_id[i].name for i in [*unit.ancestor_ids, unit.id] if i in by_id)
              for unit in units}
    return dict(sorted(labels.items(), key=lambda item: item[1].lower()))


def unit_labels() -> dict[int, str]:
    """Every unit's full name, "Trust / PALS / North team", in one query."""
    return _labels(list(db.session.scalars(select(Unit))))


def labels_for(units: list[Unit]) -> dict[int, str]:
    """"Trust / PALS / North team" for each of ``units``: one query for their ancestors, whatever their number."""
    ancestor_ids = {i for unit in units for i in unit.ancestor_ids} - {unit.id for unit in units}
    ancestors = list(db.session.scalars(select(Unit).where(Unit.id.in_(ancestor_ids)))) if ancestor_ids else []
    names = {unit.id: unit.name for unit in [*units, *ancestors]}
    return {unit.id: " / ".join(names.get(i, "…") for i in [*unit.ancestor_ids, unit.id]) for unit in units}


def search_units(text: str, *, limit: int = 10) -> list[Unit]:
    """Units whose name contains ``text`` (any case), nearest the top of the tree first: for the unit picker, so no
    page ever lists every unit (a trust has a thousand)."""
    words = " ".join(text.split())[:120]
    if len(words) < 2:
        return []
    return list(db.session.scalars(
        select(Unit).where(func.lower(Unit.name).contains(words.lower(), autoescape=True))
        .order_by(func.length(Unit.path), Unit.name, Unit.id).limit(limit)))
