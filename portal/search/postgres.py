"""The search index on PostgreSQL: a stored, weighted ``tsvector`` per entry with a GIN index.

``websearch_to_tsquery`` reads the words (the unfinished last word joins as a ``to_tsquery`` prefix built from
letters and digits only), ``ts_rank_cd`` ranks the matches ``portal.search.sources.keyset`` keeps, and
``ts_headline`` marks the matches — only for the rows on the page, with private-use characters as markers that
portal/search/marks.py turns into ``<mark>`` after escaping everything else (ts_headline's output is the stored
text, never HTML to trust).
"""

from __future__ import annotations

import re
from functools import reduce

from markupsafe import Markup
from sqlalchemy import CTE, ColumnElement, Select, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION, TSQUERY

from portal.extensions import db
from portal.search.indexes import TextIndex
from portal.search.marks import Markers
from portal.search.words import Term, Words

ENGLISH = literal_column("'english'::regconfig")
RANKS_WITH_MATCHES = False  # rank() reads the documents of the entries kept
FRAGMENT = 'MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
WHOLE = "HighlightAll=true"
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_ENTITY = re.compile("&(?:amp|lt|gt);")


def plan_for_the_words() -> None:
    """Have PostgreSQL plan this transaction's statements for the values they are given. psycopg prepares a
    statement once it has run five times, and PostgreSQL may then reuse one generic plan, made without knowing the
    words: at scale M a search for a rare word then took 90-145 ms instead of 45-55. Only searches ask for this:
    planning every page's statements afresh cost home a third of its throughput (bench/README.md)."""
    db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def tsquery(words: Words) -> ColumnElement:
    """The alternatives, OR-ed: each one's words through websearch_to_tsquery, AND-ed with its unfinished word."""
    return reduce(lambda left, right: left.op("||", return_type=TSQUERY)(right),
                  [_alternative(terms) for terms in words.alternatives])


def _alternative(terms: tuple[Term, ...]) -> ColumnElement:
    plain = " ".join(_websearch(term) for term in terms if not term.prefix)
    parts = [func.websearch_to_tsquery(ENGLISH, plain, type_=TSQUERY)] if plain else []
    parts += [func.to_tsquery(ENGLISH, " <-> ".join(term.tokens) + ":*", type_=TSQUERY)
              for term in terms if term.prefix]
    return reduce(lambda left, right: left.op("&&", return_type=TSQUERY)(right), parts)


def _websearch(term: Term) -> str:
    text = " ".join(term.tokens)
    return ("-" if term.negated else "") + (f'"{text}"' if len(term.tokens) > 1 else text)


def matches(index: TextIndex, words: Words) -> Select:
    """The keys of the entries matching ``words``: the GIN index says which, and nothing is ranked here. A query
    PostgreSQL cannot use the index for (nothing left to look for once common words are dropped, only exclusions)
    matches nothing."""
    entries = index.table()
    query = tsquery(words)
    return select(entries.c[index.key].label("key")) \
        .where(entries.c.document.op("@@")(query), func.querytree(query) != "T")


def rank(index: TextIndex, candidates: CTE, words: Words) -> ColumnElement:
    """How well each of ``candidates`` (a key column) matches, higher better: its document, read by its key, ranked.
    Reading the documents only now keeps the candidates narrow while they are found and sorted."""
    entries = index.table()
    # ts_rank_cd is a real; as a double precision it reaches Python, and comes back in a cursor, exactly.
    return (select(func.ts_rank_cd(entries.c.document, tsquery(words)).cast(DOUBLE_PRECISION))
            .where(entries.c[index.key] == candidates.c.key).scalar_subquery())


def marks(index: TextIndex, words: Words, ids: list[int], columns: dict[str, bool]) -> dict[int, dict[str, Markup]]:
    """For the entries ``ids`` (the page's), each of ``columns`` escaped with its matches in ``<mark>``: the whole
    text when ``columns[name]`` is true, else the best fragments."""
    if not ids:
        return {}
    entries = index.table()
    query = tsquery(words)
    markers = Markers.new()
    selection = f"StartSel={markers.start}, StopSel={markers.end}, "
    marked = [func.ts_headline(ENGLISH, _escaped(entries.c[name]), query,
                               selection + (WHOLE if whole else FRAGMENT)).label(name)
              for name, whole in columns.items()]
    rows = db.session.execute(select(entries.c[index.key], *marked).where(entries.c[index.key].in_(ids)))
    return {row[0]: {name: markers.marked(_unescaped(text)) for name, text in zip(columns, row[1:], strict=True)}
            for row in rows}


def _escaped(text: ColumnElement) -> ColumnElement:
    """ts_headline's parser drops what looks like an HTML tag from its output ("<b>" typed in a thank-you would
    vanish from the snippet). Given the text with ``& < >`` as entities, it keeps every character; they are turned
    back here and escaped again, with everything else, by portal/search/marks.py."""
    return func.replace(func.replace(func.replace(text, "&", "&amp;"), "<", "&lt;"), ">", "&gt;")


def _unescaped(text: str | None) -> str | None:
    return None if text is None else _ENTITY.sub(lambda entity: _ENTITIES[entity.group()], text)
