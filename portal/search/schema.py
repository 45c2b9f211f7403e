"""What the search index adds to the database outside the ORM models, for Alembic's model/database comparison.

Migration 0010 makes tables (``search_post``, ``search_person``, ``search_note``; on SQLite their FTS5 tables and
the FTS5 shadow tables), views, functions and triggers that no model describes. Alembic compares tables and their
columns and indexes, so those tables must be left out of the comparison: ``include_name`` does that, by exact name.
"""

from __future__ import annotations

from portal.search.indexes import ALL

# FTS5 keeps each index in shadow tables named after it (an external-content table has no "_content").
FTS5_SHADOWS = ("", "_data", "_idx", "_docsize", "_config", "_content")


def search_tables() -> frozenset[str]:
    return frozenset({index.table_name for index in ALL}
                     | {f"{index.fts_name}{suffix}" for index in ALL for suffix in FTS5_SHADOWS})


def include_name(name: str | None, type_: str, parent_names) -> bool:
    """Alembic's ``include_name`` hook: compare every reflected table except the search index's."""
    return not (type_ == "table" and name in search_tables())
