"""Guarded state changes: a workflow item moves only from the state the action expects (STYLE rule 3).

A Python check alone loses a race: two panel members, two supporters, two tabs. ``move_state`` is one
``UPDATE … WHERE id = :id AND state IN (:expected)``; the database lets exactly one of the racers through, and
the caller tells the other one what happened instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from sqlalchemy import update

from portal.extensions import db


def move_state(item: Any, *, column: str, expected: Iterable[Any], to: Any, **values: Any) -> bool:
    """Set ``item.<column>`` to ``to`` (and ``values``) only if it is still one of ``expected``.

    Returns True when this call moved it; False when someone else changed it first. Either way ``item`` is
    expired, so its next read shows what is in the database now.
    """
    model = type(item)
    state = getattr(model, column)
    allowed = [s.value if isinstance(s, Enum) else s for s in expected]
    result = db.session.execute(
        update(model).where(model.id == item.id, state.in_(allowed))
        .values({column: to.value if isinstance(to, Enum) else to, **values})
        .execution_options(synchronize_session=False)
    )
    db.session.expire(item)
    return result.rowcount == 1
