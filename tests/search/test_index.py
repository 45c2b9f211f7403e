"""The search index as the migration made it (run on SQLite and on PostgreSQL): the tables the app reads match
portal/search/indexes.py, every trigger that keeps them in step is there at head, nothing is read from peer support,
and notes rank by where the words are (title, then summary and tags, then body) with the body's fragment marked."""

import re

import pytest
from sqlalchemy import inspect, text

from portal.extensions import db
from portal.search.indexes import ALL, NOTES
from portal.search.schema import search_tables
from tests.debriefs.factories import ask
from tests.factories import UserFactory
from tests.search.factories import find, found_ids, indexed_text, note, thank

pytestmark = pytest.mark.usefixtures("app_ctx")

# Every table holding peer-support words (de-briefs, support bookings and notes, mentoring): none may be read.
PEER_SUPPORT = re.compile(r"\b(debrief|support|mentor)\w*", re.IGNORECASE)


def postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def view_definitions() -> dict[str, str]:
    if postgres():
        rows = db.session.execute(text("SELECT viewname, definition FROM pg_views WHERE viewname LIKE 'search_%'"))
    else:
        rows = db.session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'view' "
                                       "AND name LIKE 'search_%'"))
    return dict(rows.all())


def trigger_names() -> set[str]:
    if postgres():
        return set(db.session.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
    return set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))


def test_the_tables_match_what_the_app_reads():
    inspector = inspect(db.session.connection())
    for index in ALL:
        columns = {column["name"] for column in inspector.get_columns(index.table_name)}
        expected = {index.key, *index.column_names} | ({"document"} if postgres() else set())
        assert columns == expected, index.name
        if not postgres():
            assert index.fts_name in inspector.get_table_names()
    if postgres():
        indexes = {ix["name"] for index in ALL for ix in inspector.get_indexes(index.table_name)}
        assert indexes == {f"ix_{index.table_name}_document" for index in ALL}  # the GIN indexes
    assert {index.table_name for index in ALL} <= search_tables()


def test_every_trigger_that_keeps_the_index_in_step_is_there():
    names = trigger_names()
    for index in ALL:
        source = f"{index.table_name}_on_"
        assert any(name.startswith(source) for name in names), index.name
        if not postgres():
            assert {f"{index.fts_name}_{event}" for event in ("insert", "delete", "update")} <= names
    on_notes = {name for name in names if name.startswith(f"{NOTES.table_name}_on_practice_note")}
    assert len(on_notes) == 6  # insert, update and delete of a note and of its tags


def test_nothing_is_read_from_peer_support():
    views = view_definitions()
    assert set(views) == {f"{index.table_name}_source" for index in ALL}
    for name, definition in views.items():
        assert not PEER_SUPPORT.search(definition), (name, PEER_SUPPORT.search(definition))


def test_confidential_words_are_never_found():
    requester = UserFactory(display_name="Dana Requester")
    ask(requester, note="Pangolin: the caller said something I cannot stop thinking about")
    thank(UserFactory(), UserFactory(), words="A pangolin-free thank-you about a hard call.")
    assert "Pangolin:" not in indexed_text()
    pages = find(UserFactory(hr=True), "pangolin thinking ")
    assert all(page.hits == [] for page in pages.values())


def test_notes_rank_title_then_summary_and_tags_then_body_with_the_body_fragment_marked():
    champion = UserFactory(champion=True)
    in_body = note(champion, title="Ringing ahead", summary="Before a transfer.",
                   body="Ring the ward first; the sandpiper rule is to say who is coming and why.", tags=("calls",))
    in_summary = note(champion, title="Walking people over", summary="The sandpiper way to hand over.",
                      tags=("handover",))
    in_tag = note(champion, title="Keys for the quiet room", summary="Where they are kept.", tags=("sandpiper",))
    in_title = note(champion, title="Sandpiper checklists", summary="One page, on the desk.", tags=("lists",))
    viewer = UserFactory()
    ranked = found_ids(viewer, "sandpiper ", "notes")
    assert ranked[0] == in_title.id and ranked[-1] == in_body.id
    assert set(ranked[1:3]) == {in_summary.id, in_tag.id}
    hits = {hit.obj.id: hit for hit in find(viewer, "sandpiper ", kind="notes")["notes"].hits}
    assert str(hits[in_title.id].title) == "<mark>Sandpiper</mark> checklists"
    assert [str(s) for s in hits[in_summary.id].snippets] == ["The <mark>sandpiper</mark> way to hand over."]
    summary, fragment = (str(s) for s in hits[in_body.id].snippets)
    assert summary == "Before a transfer."
    assert "<mark>sandpiper</mark> rule" in fragment and fragment.count("<mark>") == 1
