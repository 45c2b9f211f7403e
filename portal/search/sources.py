"""One search interface over every kind of thing found, and over both databases.

A *source* (thank-yous, colleagues, practice notes) is an object with a ``kind``, a ``label``, the ``filters`` it
understands and ``search(query, *, viewer) -> SearchPage``. It hands ``keyset`` its rows, its index and who may see
what with the filters; ``keyset`` joins the index's matches (``engine().matches(...)``, the engine being
portal/search/postgres.py or portal/search/sqlite.py for the database in use), ranks and takes one keyset page; the
source then asks the engine to mark the words on that page only. Adding a kind of thing to search is one more module
with a source, an index in the migration and portal/search/indexes.py, and a line in portal/search/queries.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any, Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import ColumnElement, and_, func, literal, or_, select

from portal.common.pagination import decode_cursor, encode_cursor
from portal.db import Choice
from portal.extensions import db
from portal.org.models import Unit
from portal.search.indexes import TextIndex
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
    capped: bool = False  # more matched than best first ranks: the best of the newest SEARCH_RANKED_MATCHES

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


# "Best match first" ranks the SEARCH_RANKED_MATCHES matches added last (a setting, 1,000 by default) that the viewer
# may see, with the filters applied, of the kinds that have dates. Ranking reads every match's words, and a common word
# is in a great many (at scale M, 83,000 of 500,000 thank-yous say "complaint": ranking them all took 200 ms a
# search). Past that many, the page says the best matches come from the newest ones and suggests more words or a
# filter; "newest first" reaches every match.


@dataclass(frozen=True)
class Ranked:
    """A page of rows (entities) in the query's order, the cursor after it, and whether more matched than were
    ranked (``SEARCH_RANKED_MATCHES``)."""

    rows: list[Any]
    next_cursor: str | None
    capped: bool = False


def keyset(query: SearchQuery, *, entity: Any, index: TextIndex, where: list, options: tuple = (),
           newest: ColumnElement | None = None) -> Ranked:
    """One page of ``entity`` rows that match the words in ``index`` and meet ``where``, best first — or newest first
    when asked and the source has dates (``newest``) — with the key last so the order is total, starting after
    ``query.after``.

    Best first ranks the ``SEARCH_RANKED_MATCHES`` matches added last (by key), found without ranking anything (on
    PostgreSQL a walk down the primary keys while the GIN index says which entries match, or the few matches
    sorted); a source without dates (colleagues) has no "newest first" to reach the rest, so all its matches are
    ranked. Only those are ranked, in the statement that cuts the page; the entities are read for the page alone.
    """
    key = entity.id
    found = engine().matches(index, query.words).subquery()
    by_date = query.sort == Sort.NEWEST and newest is not None
    position = _position(query.after, by_date)
    most = None if newest is None else current_app.config["SEARCH_RANKED_MATCHES"]
    if by_date:
        stmt = select(entity, newest, key).join(found, found.c.key == key).where(*where, *_after(position, newest, key))
        stmt = stmt.options(*options).order_by(newest.desc(), key.desc()).limit(query.size + 1)
    else:
        carried = [found.c.ranking] if engine().RANKS_WITH_MATCHES else []
        candidates = (select(key.label("key"), *carried).select_from(entity).join(found, found.c.key == key)
                      .where(*where))
        if most is not None:  # one more than are ranked, latest added first: the page says whether more matched
            # By key, the order entries were added (for thank-yous, their dates' order): PostgreSQL can then walk the
            # entity's and the index's primary keys together. By date it read and sorted every match (0.3-0.7 s).
            candidates = candidates.add_columns(func.row_number().over(order_by=key.desc()).label("newness")) \
                .order_by(key.desc()).limit(most + 1)
        candidates = candidates.cte("candidates")
        kept = [] if most is None else [candidates.c.newness <= most]
        score = engine().rank(index, candidates, query.words)
        matched = literal(0) if most is None else select(func.count()).select_from(candidates).scalar_subquery()
        page = (select(candidates.c.key, score.label("score"), matched.label("matched"))
                .where(*kept, *_after(position, score, candidates.c.key))
                .order_by(score.desc(), candidates.c.key.desc()).limit(query.size + 1).subquery())
        # The entities are read for the page only, after it is cut.
        stmt = (select(entity, page.c.score, page.c.key, page.c.matched).join(page, page.c.key == key)
                .options(*options).order_by(page.c.score.desc(), page.c.key.desc()))
    rows = db.session.execute(stmt).all()
    shown = rows[:query.size]
    next_cursor = None
    if len(rows) > query.size:
        first, second = shown[-1][1:3]
        next_cursor = encode_cursor([first if by_date else repr(float(first)), second])
    capped = most is not None and not by_date and bool(rows) and rows[0][3] > most
    return Ranked(rows=[row[0] for row in shown], next_cursor=next_cursor, capped=capped)


def _after(position: tuple[Any, int] | None, first: ColumnElement, second: ColumnElement) -> list:
    """The keyset condition: rows after ``position`` in the order (first, second) descending."""
    if position is None:
        return []
    return [or_(first < position[0], and_(first == position[0], second < position[1]))]


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
