"""Keyset ("seek") pagination: pages cost the same at row 10 and row 100,000.

The cursor is the sort key of the last row shown, encoded opaquely; the next page is the rows strictly after it in
the sort order. Sort columns must end with a unique column (usually ``id``) so the order is total.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


def encode_cursor(values: list[Any]) -> str:
    plain = [{"dt": v.isoformat()} if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        parsed = datetime.fromisoformat(value["dt"])  # KeyError / TypeError / ValueError: a tampered cursor
        if parsed.tzinfo is None:
            raise ValueError("naive datetime in cursor")
        return parsed
    if isinstance(value, bool) or not isinstance(value, int | str | None):
        raise TypeError("unexpected value in cursor")
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        raise ValueError("integer out of range in cursor")
    return value


def decode_cursor(cursor: str | None, length: int, types: list[type] | None = None) -> list[Any] | None:
    """The sort values in ``cursor``, or None for a missing, malformed or tampered one ("first page")."""
    if not cursor:
        return None
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != length:
            return None
        values = [_decode_value(v) for v in raw]
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None
    if types is not None and any(v is not None and not isinstance(v, t) for v, t in zip(values, types, strict=True)):
        return None
    return values


def keyset_page(stmt: Select, *, order: list[tuple[InstrumentedAttribute, bool]], cursor: str | None,
                size: int, session) -> Page:
    """Run ``stmt`` ordered by ``order`` ([(column, descending), …]) from just after ``cursor``.

    Fetches ``size + 1`` rows to know whether there is a next page: one query per page.
    """
    values = decode_cursor(cursor, len(order), [_python_type(col) for col, _ in order])
    if values is not None:
        stmt = stmt.where(_after(order, values))
    stmt = stmt.order_by(*[col.desc() if desc else col.asc() for col, desc in order]).limit(size + 1)
    rows = list(session.scalars(stmt).unique())
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = encode_cursor([getattr(last, col.key) for col, _ in order])
    return Page(items=items, next_cursor=next_cursor)


def _python_type(column: InstrumentedAttribute) -> type:
    try:
        return column.type.python_type
    except NotImplementedError:
        return object


def _after(order: list[tuple[InstrumentedAttribute, bool]], values: list[Any]):
    """(a, b, c) > (x, y, z) in the mixed sort directions, written out so every database can use the index."""
    clauses = []
    for i, (col, desc) in enumerate(order):
        equal_before = [order[j][0] == values[j] for j in range(i)]
        step = col < values[i] if desc else col > values[i]
        clauses.append(and_(*equal_before, step))
    return or_(*clauses)
