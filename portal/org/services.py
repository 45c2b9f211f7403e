"""Changes to the unit tree. Callers pass the acting user; services flush, the caller commits."""

from __future__ import annotations

from sqlalchemy import String, func, literal, select, update

from portal.common.audit import record_event
from portal.common.errors import Conflict, DomainError
from portal.extensions import db
from portal.org.models import Unit

PATH_SEPARATOR = "/"
MAX_NAME_LENGTH = 120


def split_unit_path(text: str) -> list[str]:
    """"Trust/PALS/North team" → ["Trust", "PALS", "North team"]; raises DomainError for an empty part."""
    parts = [part.strip() for part in text.strip().strip(PATH_SEPARATOR).split(PATH_SEPARATOR)]
    if not text.strip() or any(not part for part in parts):
        raise DomainError("Write the unit as names separated by /, for example Trust/PALS/North team.", field="path")
    if any(len(part) > MAX_NAME_LENGTH for part in parts):
        raise DomainError(f"Each unit name must be {MAX_NAME_LENGTH} characters or fewer.", field="path")
    return parts


def _find_child(parent: Unit | None, name: str) -> Unit | None:
    parent_clause = Unit.parent_id.is_(None) if parent is None else Unit.parent_id == parent.id
    return db.session.scalar(select(Unit).where(parent_clause, func.lower(Unit.name) == name.lower()))


def create_unit(*, name: str, parent: Unit | None, actor=None) -> Unit:
    """Add one unit under ``parent`` (a root when None). Raises Conflict if a sibling has that name."""
    name = name.strip()
    if not name:
        raise DomainError("Enter a name for the unit.", field="name")
    if _find_child(parent, name) is not None:
        raise Conflict(f"There is already a unit called {name} here.", field="name")
    unit = Unit(name=name, parent=parent)
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else PATH_SEPARATOR}{unit.id}{PATH_SEPARATOR}"
    db.session.flush()
    record_event("unit.created", actor=actor, target=unit, name=name, parent_id=parent.id if parent else None)
    return unit


def ensure_unit_path(path_text: str, *, actor=None) -> Unit:
    """Create any missing units along "A/B/C" and return the last one. Idempotent; names match case-insensitively."""
    parent: Unit | None = None
    for name in split_unit_path(path_text):
        parent = _find_child(parent, name) or create_unit(name=name, parent=parent, actor=actor)
    assert parent is not None
    return parent


def find_unit_by_path(path_text: str) -> Unit | None:
    parent: Unit | None = None
    for name in split_unit_path(path_text):
        parent = _find_child(parent, name)
        if parent is None:
            return None
    return parent


def rename_unit(*, unit: Unit, name: str, actor) -> Unit:
    name = name.strip()
    if not name:
        raise DomainError("Enter a name for the unit.", field="name")
    existing = _find_child(unit.parent, name)
    if existing is not None and existing.id != unit.id:
        raise Conflict(f"There is already a unit called {name} here.", field="name")
    old_name, unit.name = unit.name, name
    db.session.flush()
    record_event("unit.renamed", actor=actor, target=unit, old_name=old_name, name=name)
    return unit


def move_unit(*, unit: Unit, new_parent: Unit | None, actor) -> Unit:
    """Re-parent ``unit`` with its whole subtree. Raises DomainError when that would make a loop."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise DomainError("A unit cannot move inside itself or one of its own units.", field="parent_id")
    if _find_child(new_parent, unit.name) not in (None, unit):
        raise Conflict(f"There is already a unit called {unit.name} there.", field="parent_id")
    old_prefix = unit.path
    new_prefix = f"{new_parent.path if new_parent else PATH_SEPARATOR}{unit.id}{PATH_SEPARATOR}"
    old_parent_id = unit.parent_id
    unit.parent = new_parent
    db.session.flush()
    db.session.execute(
        update(Unit)
        .where(Unit.path.startswith(old_prefix, autoescape=True))
        .values(path=literal(new_prefix, String) + func.substr(Unit.path, len(old_prefix) + 1))
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    record_event("unit.moved", actor=actor, target=unit, old_parent_id=old_parent_id,
                 new_parent_id=new_parent.id if new_parent else None)
    return unit
