"""Looking units up by the path people write ("Trust/PALS/North team"), for tests that check where a unit ended up.

Frontline itself never looks a unit up by path without creating what is missing (``ensure_unit_path``), so this
lives with the tests.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.org.models import Unit
from portal.org.services import split_unit_path


def find_unit_by_path(path_text: str) -> Unit | None:
    """The unit at ``path_text`` (names compared ignoring case, as ``ensure_unit_path`` does), or None."""
    parent: Unit | None = None
    for name in split_unit_path(path_text):
        level = Unit.parent_id.is_(None) if parent is None else Unit.parent_id == parent.id
        parent = next((unit for unit in db.session.scalars(select(Unit).where(level))
                       if unit.name.casefold() == name.casefold()), None)
        if parent is None:
            return None
    return parent
