"""Practice notes in search: published notes, by title, summary, tags and body.

The index of notes (``search_note``) exists when the practice notes' tables did when migration 0010 ran; until then
this source says it is not available and search shows the other kinds. Only published notes are in the index, and
the query asks for the published state again.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import exists, inspect

from portal.extensions import db
from portal.org.queries import subtree_unit_ids
from portal.practice.models import Note, NoteState, NoteTag
from portal.practice.services import normalise_tag
from portal.search import policies
from portal.search.indexes import NOTES
from portal.search.marks import has_marks
from portal.search.sources import Filter, Hit, SearchPage, SearchQuery, engine, keyset


class NotesSource:
    kind = "notes"
    label = _l("Practice notes")
    filters = frozenset({Filter.UNIT, Filter.TAG, Filter.DATE})

    def available(self) -> bool:
        """Whether this database has the index of notes (looked up once per app)."""
        known = current_app.extensions.setdefault("search_indexes", {})
        if NOTES.table_name not in known:
            known[NOTES.table_name] = inspect(db.session.connection()).has_table(NOTES.table_name)
        return known[NOTES.table_name]

    def search(self, query: SearchQuery, *, viewer) -> SearchPage:
        ranked = keyset(query, entity=Note, index=NOTES,
                        where=[Note.state == NoteState.PUBLISHED.value, *_filters(query)], newest=Note.published_at)
        notes = ranked.rows
        shown = [note for note in notes if policies.can_find_note(viewer, note)]
        if len(shown) != len(notes):
            current_app.logger.error("search: notes %s failed the policy", {n.id for n in notes} - set(shown))
        marks = engine().marks(NOTES, query.words, [note.id for note in shown],
                               {"title": True, "summary": True, "body": False})
        return SearchPage(self.kind, self.label, [_hit(note, marks.get(note.id, {})) for note in shown],
                          ranked.next_cursor, capped=ranked.capped)


def _filters(query: SearchQuery) -> list:
    found = []
    if query.unit is not None:
        found.append(Note.unit_id.in_(subtree_unit_ids(query.unit)))
    if query.tag:
        found.append(exists().where(NoteTag.note_id == Note.id, NoteTag.tag == normalise_tag(query.tag)))
    if query.start is not None:
        found.append(Note.published_at >= query.start)
    if query.end is not None:
        found.append(Note.published_at < query.end)
    return found


def _hit(note: Note, marks: dict[str, Markup]) -> Hit:
    """The summary, and a fragment of the body when the words are there."""
    body = marks.get("body")
    snippets = [marks.get("summary") or escape(note.summary), *([body] if has_marks(body) else [])]
    return Hit(endpoint="practice.show", args={"note_id": note.id}, title=marks.get("title") or escape(note.title),
               snippets=snippets, when=note.published_at, details=[note.unit.name],
               tags=[(tag, "grey") for tag in note.tags], obj=note)
