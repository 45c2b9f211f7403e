"""Running a search over every kind of thing found, and what the filters offer."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.practice.models import Note as PracticeNote
from portal.practice.models import NoteState, NoteTag
from portal.recognition.models import RecognitionValue
from portal.search.notes import NotesSource
from portal.search.people import ColleaguesSource
from portal.search.sources import SearchPage, SearchQuery, SearchSource
from portal.search.thanks import ThanksSource

# In the order their sections appear.
SOURCES: tuple[SearchSource, ...] = (NotesSource(), ThanksSource(), ColleaguesSource())


def available_sources() -> list[SearchSource]:
    return [source for source in SOURCES if source.available()]


def search(query: SearchQuery, *, viewer, kind: str | None = None) -> list[SearchPage]:
    """One page per kind (or of ``kind`` only), in the sources' order. A kind that does not understand a filter in
    use is not searched, and says so (``left_out``), rather than ignoring the filter."""
    pages = []
    for source in available_sources():
        if kind is not None and source.kind != kind:
            continue
        if query.filters - source.filters:
            pages.append(SearchPage(source.kind, source.label, left_out=True))
        else:
            pages.append(source.search(query, viewer=viewer))
    return pages


def tag_choices() -> list[str]:
    """What the tag filter offers: the values thank-yous are given for, and the tags of published notes, each once,
    in alphabetical order (two queries)."""
    tags = {name.casefold(): name for name in db.session.scalars(
        select(RecognitionValue.name).where(RecognitionValue.is_retired.is_(False)))}
    if NotesSource().available():
        published = select(PracticeNote.id).where(PracticeNote.state == NoteState.PUBLISHED.value)
        tags.update((tag, tag) for tag in db.session.scalars(
            select(NoteTag.tag).where(NoteTag.note_id.in_(published)).distinct()) if tag not in tags)
    return sorted(tags.values(), key=str.casefold)
