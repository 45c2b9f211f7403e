"""One search interface over every kind of thing found, and over both databases.

A *source* (thank-yous, colleagues, practice notes) is an object with a ``kind``, a ``label``, the ``filters`` it
understands and ``search(query, *, viewer) -> SearchPage``. It joins the index's matches — ``engine().matches(...)``,
the engine being portal/search/postgres.py or portal/search/sqlite.py for the database in use — to its own rows,
applies who may see what and the filters, takes one keyset page, and asks the engine to mark the words on that page
only. Adding a kind of thing to search is one more module with a source, an index in the migration and
portal/search/indexes.py, and a line in portal/search/queries.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, and_, or_

from portal.common.pagination import decode_cursor, encode_cursor
from portal.db import Choice
from portal.extensions import db
from portal.org.models import Unit
from portal.search.words import Words

PREVIEW_SIZE = 3  # per kind, in the header's drop-down
SUMMARY_SIZE = 5  # per kind, when a search shows every kind


class Sort(Choice):
    RELEVANCE = "relevance", _l("Best match first")
    NEWEST = "newest", _l("Newest first")


class Filter(Choice):
    UNIT = "unit"
    TAG = "tag"
    DATE = "date"


@dataclass(frozen=True)
class SearchQuery:
    words: Words
    unit: Unit | None = None
    tag: str | None = None
    start: datetime | None = None  # UTC, inclusive
    end: datetime | None = None  # UTC, exclusive
    sort: Sort = Sort.RELEVANCE
    after: str | None = None  # the cursor of the page before
    size: int = SUMMARY_SIZE

    @property
    def filters(self) -> frozenset[Filter]:
        used = {Filter.UNIT: self.unit is not None, Filter.TAG: bool(self.tag),
                Filter.DATE: self.start is not None or self.end is not None}
        return frozenset(name for name, is_used in used.items() if is_used)


@dataclass
class Hit:
    """One thing found, ready to show. Every ``str`` is plain text (escaped when shown); ``Markup`` comes from
    portal/search/marks.py (escaped there, with the matched words in ``<mark>``)."""

    endpoint: str  # where it opens: url_for(endpoint, **args)
    args: dict[str, Any]
    title: Markup
    snippets: list[Markup] = field(default_factory=list)
    when: datetime | None = None
    details: list[str | Markup] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (text, colour)
    obj: Any = None


@dataclass
class SearchPage:
    kind: str
    label: Any
    hits: list[Hit] = field(default_factory=list)
    next_cursor: str | None = None
    left_out: bool = False  # the source does not understand a filter in use, so it was not searched

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


class SearchSource(Protocol):
    kind: str
    label: Any
    filters: frozenset[Filter]

    def available(self) -> bool:
        """Whether its index exists in this database."""

    def search(self, query: SearchQuery, *, viewer) -> SearchPage:
        """The page of ``query`` that ``viewer`` may see, best first (or newest first)."""


def engine() -> ModuleType:
    """The module with this database's search SQL."""
    from portal.search import postgres, sqlite

    return postgres if db.engine.dialect.name == "postgresql" else sqlite


@dataclass(frozen=True)
class Ranked:
    """A page of (row, score) in the query's order, and the cursor after it."""

    rows: list[Any]
    next_cursor: str | None


def keyset(stmt: Select, query: SearchQuery, *, score: ColumnElement, key: ColumnElement,
           newest: ColumnElement | None = None) -> Ranked:
    """Order ``stmt`` (which selects the entity and ``score``) best first — or newest first when asked and the
    source has dates — with its key last so the order is total; start after ``query.after``; one page."""
    by_date = query.sort == Sort.NEWEST and newest is not None
    order = [newest, key] if by_date else [score, key]
    position = _position(query.after, by_date)
    if position is not None:
        stmt = stmt.where(or_(order[0] < position[0], and_(order[0] == position[0], order[1] < position[1])))
    sort_values = [column.label(f"sort_{n}") for n, column in enumerate(order)]
    rows = db.session.execute(stmt.add_columns(*sort_values).order_by(*(c.desc() for c in order))
                              .limit(query.size + 1)).all()
    page = rows[:query.size]
    next_cursor = None
    if len(rows) > query.size:
        first, second = page[-1][-2:]
        next_cursor = encode_cursor([first if by_date else repr(float(first)), second])
    return Ranked(rows=[row[:-2] for row in page], next_cursor=next_cursor)


def _position(cursor: str | None, by_date: bool) -> tuple[Any, int] | None:
    """The sort values in a cursor this order made, or None (no cursor, or a tampered or foreign one)."""
    values = decode_cursor(cursor, 2, [datetime if by_date else str, int])
    if values is None or values[1] is None or values[0] is None:
        return None
    if by_date:
        return values[0], values[1]
    try:
        score = float(values[0])
    except ValueError:
        return None
    return (score, values[1]) if math.isfinite(score) else None
