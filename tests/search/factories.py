"""Search test data, made through the real services (thank-yous, notes), and a short way to search."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from portal.extensions import db
from portal.practice.services import NoteContent, create_note
from portal.search.indexes import ALL
from portal.search.queries import search
from portal.search.sources import SearchPage, SearchQuery
from portal.search.words import parse
from tests.recognition.factories import thank  # noqa: F401 — re-exported: thank(author, *people, words=…)


def find(viewer, words: str, *, kind: str | None = None, size: int = 50, **filters) -> dict[str, SearchPage]:
    """Every kind's page of ``words`` as ``viewer`` would get it (``filters``: unit, tag, start, end, sort, after)."""
    query = SearchQuery(words=parse(words), size=size, **filters)
    return {page.kind: page for page in search(query, viewer=viewer, kind=kind)}


def ids(page: SearchPage) -> list[int]:
    return [hit.obj.id for hit in page.hits]


def found_ids(viewer, words: str, kind: str, **filters) -> list[int]:
    return ids(find(viewer, words, kind=kind, **filters)[kind])


def note(author, *, title: str = "Warm handovers to the bereavement office",
         summary: str = "Walk people over instead of giving them a number.",
         body: str = "Ring first, then walk them over. Offer the quiet room.", tags=("bereavement", "handover"),
         unit=None, submit: bool = True, now: datetime | None = None):
    """A note by ``author``: a champion's is published at once, anyone else's waits for a champion."""
    content = NoteContent(title=title, summary=summary, body_source=body, unit_id=(unit or author.unit).id,
                          tags=list(tags))
    return create_note(author=author, content=content, submit=submit, now=now)


def indexed_text() -> str:
    """Everything in the search index's tables, as one string (to prove what is, and is not, in it)."""
    parts = []
    for index in ALL:
        if db.session.execute(text("SELECT 1 FROM information_schema.tables WHERE table_name = :t")
                              if db.engine.dialect.name == "postgresql" else
                              text("SELECT 1 FROM sqlite_master WHERE name = :t"), {"t": index.table_name}).first():
            columns = " || ' ' || ".join(index.column_names)
            parts += db.session.scalars(text(f"SELECT {columns} FROM {index.table_name}"))  # noqa: S608 — our names
    return "\n".join(parts)
