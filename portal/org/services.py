"""Changes to the unit tree. Callers pass the acting user; services flush, the caller commits."""

from __future__ import annotations

from flask_babel import gettext as _
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
        raise DomainError(_("Write the unit as names separated by /, for example Trust/PALS/North team."), field="path")
    if any(len(part) > MAX_NAME_LENGTH for part in parts):
        raise DomainError(_("Each unit name must be %(num)d characters or fewer.", num=MAX_NAME_LENGTH), field="path")
    return parts


def _find_child(parent: Unit | None, name: str) -> Unit | None:
    """The child of ``parent`` called ``name``, ignoring case.

    Compared in Python: SQLite's lower() only folds ASCII, so "Équipe" and "équipe" would be two units there.
    """
    parent_clause = Unit.parent_id.is_(None) if parent is None else Unit.parent_id == parent.id
    wanted = name.strip().casefold()
    return next((unit for unit in db.session.scalars(select(Unit).where(parent_clause))
                 if unit.name.casefold() == wanted), None)


def create_unit(*, name: str, parent: Unit | None, actor=None) -> Unit:
    """Add one unit under ``parent`` (a root when None). Raises Conflict if a sibling has that name."""
    name = _clean_name(name)
    if _find_child(parent, name) is not None:
        raise Conflict(_("There is already a unit called %(name)s here.", name=name), field="name")
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


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise DomainError(_("Enter a name for the unit."), field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(_("Use %(num)d characters or fewer for the name.", num=MAX_NAME_LENGTH), field="name")
    return name


def _check_no_loop(unit: Unit, new_parent: Unit | None) -> None:
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise DomainError(_("A unit cannot move inside itself or one of its own units."), field="parent_id")


def _rewrite_paths(unit: Unit, new_parent: Unit | None) -> None:
    """Re-parent ``unit`` and rewrite the path of it and every unit beneath it in one UPDATE."""
    old_prefix = unit.path
    new_prefix = f"{new_parent.path if new_parent else PATH_SEPARATOR}{unit.id}{PATH_SEPARATOR}"
    unit.parent = new_parent
    db.session.flush()
    db.session.execute(
        update(Unit)
        .where(Unit.path.startswith(old_prefix, autoescape=True))
        .values(path=literal(new_prefix, String) + func.substr(Unit.path, len(old_prefix) + 1))
        .execution_options(synchronize_session=False)
    )
    # The UPDATE bypassed the session: loaded units may hold stale paths.
    db.session.expire_all()


TREE_LOCK_KEY = 7_310_001  # any constant: one PostgreSQL advisory lock guards re-shaping the unit tree


def _lock_tree(*units: Unit | None) -> None:
    """Serialise changes to the tree's shape and re-read the units involved, so the loop check and the path
    rewrite see what is committed now (two admins moving A under B and B under A at once: the second is refused).
    On SQLite the database's single writer does the serialising."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(TREE_LOCK_KEY)))
    for unit in units:
        if unit is not None:
            db.session.refresh(unit)


def update_unit(*, unit: Unit, name: str, new_parent: Unit | None, actor) -> list[str]:
    """Rename and/or move ``unit`` in one go; returns what changed ("name", "parent").

    The name is checked against the siblings it will have after the move, so renaming while moving works.
    Raises DomainError (loop, empty name) or Conflict (a sibling already has the name); nothing changes then.
    """
    name = _clean_name(name)
    _lock_tree(unit, new_parent)
    new_parent_id = new_parent.id if new_parent is not None else None
    moving = new_parent_id != unit.parent_id
    if moving:
        _check_no_loop(unit, new_parent)
    final_parent = new_parent if moving else unit.parent
    existing = _find_child(final_parent, name)
    if existing is not None and existing.id != unit.id:
        raise Conflict(_("There is already a unit called %(name)s there.", name=name), field="name")
    old_name, old_parent_id = unit.name, unit.parent_id
    # Name and parent change in one UPDATE: either alone could clash with a sibling on the way.
    unit.name = name
    if moving:
        _rewrite_paths(unit, new_parent)
    else:
        db.session.flush()
    changed = []
    if name != old_name:
        record_event("unit.renamed", actor=actor, target=unit, old_name=old_name, name=name)
        changed.append("name")
    if moving:
        record_event("unit.moved", actor=actor, target=unit, old_parent_id=old_parent_id, new_parent_id=new_parent_id)
        changed.append("parent")
    return changed
