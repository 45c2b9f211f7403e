"""The search index on SQLite: FTS5 tables (external content, porter stemming) kept in step by triggers.

The words become an FTS5 expression in which every word or phrase is a quoted string of letters and digits (``"``
doubled, though none can be there), so nothing typed is read as FTS5 syntax; ``bm25()`` with the columns' weights
ranks (negated, so that higher is better on both databases), and ``snippet()``/``highlight()`` mark the matches for
the rows on the page with the private-use markers of portal/search/marks.py.
"""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import CTE, ColumnElement, Select, func, literal_column, select, table

from portal.extensions import db
from portal.search.indexes import BM25_WEIGHTS, TextIndex
from portal.search.marks import Markers
from portal.search.words import Term, Words

SNIPPET_TOKENS = 32
RANKS_WITH_MATCHES = True  # matches() carries bm25's score as "ranking": FTS5 gives it only inside its own query


def plan_for_the_words() -> None:
    """SQLite plans every statement as it runs: nothing to do."""


def fts_expression(words: Words) -> str:
    return " OR ".join(_alternative(terms) for terms in words.alternatives)


def _alternative(terms: tuple[Term, ...]) -> str:
    required = " AND ".join(_phrase(term) for term in terms if not term.negated)
    excluded = "".join(f" NOT {_phrase(term)}" for term in terms if term.negated)
    return f"(({required}){excluded})"


def _phrase(term: Term) -> str:
    quoted = '"' + " ".join(term.tokens).replace('"', '""') + '"'
    return quoted + ("*" if term.prefix else "")


def _fts(index: TextIndex):
    return literal_column(index.fts_name)


def matches(index: TextIndex, words: Words) -> Select:
    """(key, ranking) of every entry matching ``words``, from the FTS5 index; the ranking is bm25's score, which
    FTS5 gives only inside its own query."""
    weights = ", ".join(str(BM25_WEIGHTS[weight]) for _, weight in index.columns)
    score = literal_column(f"-bm25({index.fts_name}, {weights})")
    return (select(literal_column(f"{index.fts_name}.rowid").label("key"), score.label("ranking"))
            .select_from(table(index.fts_name))
            .where(_fts(index).op("MATCH")(fts_expression(words))))


def rank(index: TextIndex, candidates: CTE, words: Words) -> ColumnElement:
    """How well each of ``candidates`` matches, higher better: the score ``matches`` computed (FTS5 gives bm25 only
    inside its own query)."""
    return candidates.c.ranking


def marks(index: TextIndex, words: Words, ids: list[int], columns: dict[str, bool]) -> dict[int, dict[str, Markup]]:
    """For the entries ``ids`` (the page's), each of ``columns`` escaped with its matches in ``<mark>``: the whole
    text when ``columns[name]`` is true (highlight), else the best fragment (snippet)."""
    if not ids:
        return {}
    fts = _fts(index)
    markers = Markers.new()
    marked = [(func.highlight(fts, literal_column(str(index.position(name))), markers.start, markers.end) if whole
               else func.snippet(fts, literal_column(str(index.position(name))), markers.start, markers.end, "…",
                                 literal_column(str(SNIPPET_TOKENS)))).label(name)
              for name, whole in columns.items()]
    rowid = literal_column(f"{index.fts_name}.rowid")
    rows = db.session.execute(select(rowid, *marked).select_from(table(index.fts_name))
                              .where(fts.op("MATCH")(fts_expression(words)), rowid.in_(ids)))
    return {row[0]: {name: markers.marked(text) for name, text in zip(columns, row[1:], strict=True)}
            for row in rows}
