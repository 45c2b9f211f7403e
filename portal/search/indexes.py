"""The search index's tables, as the app reads them (migrations/versions/0010_search_index.py makes them).

One table per kind of thing found, ``search_<name>``: its key, and one text column per weight (A weighs most).
PostgreSQL adds a stored generated ``document`` tsvector with a GIN index; SQLite an FTS5 table ``search_<name>_fts``
over the same columns. They are not ORM models (their columns differ between the two databases); tests check that
these definitions match the tables the migration made.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, Text
from sqlalchemy.sql import TableClause, column, table

# How much a match in a column counts, by its weight: PostgreSQL's ts_rank_cd defaults ({D, C, B, A} =
# {0.1, 0.2, 0.4, 1.0}) scaled by ten, as bm25's column weights on SQLite.
BM25_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 1.0}


@dataclass(frozen=True)
class TextIndex:
    name: str
    key: str
    columns: tuple[tuple[str, str], ...]  # (column, weight)

    @property
    def table_name(self) -> str:
        return f"search_{self.name}"

    @property
    def fts_name(self) -> str:
        return f"search_{self.name}_fts"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def position(self, name: str) -> int:
        """The column's number in the FTS5 table (for snippet() and highlight())."""
        return self.column_names.index(name)

    def table(self) -> TableClause:
        """The table (``document`` exists on PostgreSQL only)."""
        return table(self.table_name, column(self.key, Integer), *(column(name, Text) for name in self.column_names),
                     column("document"))


POSTS = TextIndex("post", "post_id", (("people", "A"), ("words", "B"), ("more", "C")))
PEOPLE = TextIndex("person", "user_id", (("name", "A"), ("job", "B"), ("unit", "C")))
NOTES = TextIndex("note", "note_id", (("title", "A"), ("summary", "B"), ("tags", "B"), ("body", "C")))
ALL = (POSTS, PEOPLE, NOTES)
