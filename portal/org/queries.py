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


def units_in_tree_order() -> list[Unit]:
    """Every unit, depth first, siblings by name (a parent always comes before its children)."""
    ordered: list[Unit] = []
    stack = list(reversed(unit_tree()))
    while stack:
        node = stack.pop()
        ordered.append(node.unit)
        stack.extend(reversed(node.children))
    return ordered


def _labels(units: list[Unit]) -> dict[int, str]:
    by_id = {unit.id: unit for unit in units}
    labels = {unit.id: " / ".join(by_id[i].name for i in [*unit.ancestor_ids, unit.id] if i in by_id)
              for unit in units}
    return dict(sorted(labels.items(), key=lambda item: item[1].lower()))


def unit_labels() -> dict[int, str]:
    """Every unit's full name, "Trust / PALS / North team", in one query."""
    return _labels(list(db.session.scalars(select(Unit))))


def unit_choices(*, exclude_subtree_of: Unit | None = None) -> list[tuple[int, str]]:
    """(id, full name) for select fields; ``exclude_subtree_of`` leaves out that unit and everything beneath it."""
    units = list(db.session.scalars(select(Unit)))
    if exclude_subtree_of is not None:
        units = [unit for unit in units if not unit.path.startswith(exclude_subtree_of.path)]
    return list(_labels(units).items())
