"""Search over both databases: what is found, in what order, with which words marked; the filters; keyset pages;
and the index keeping in step with every change to what it copies (run on SQLite and on PostgreSQL)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, text, update

from portal.db import utcnow
from portal.extensions import db
from portal.practice.moderation import hide_note
from portal.recognition.models import Post, RecognitionValue, Visibility
from portal.recognition.moderation import hide_post
from portal.recognition.services import ThankYou, edit_thank_you, rename_value, withdraw_thank_you
from portal.search.queries import SOURCES, tag_choices
from portal.search.sources import Sort
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import value_ids
from tests.search.factories import find, found_ids, ids, indexed_text, note, thank

pytestmark = pytest.mark.usefixtures("app_ctx")


def notes_indexed() -> bool:
    return SOURCES[0].available()


def test_a_thank_you_is_found_by_its_words_the_people_its_values_and_its_author():
    author = UserFactory(display_name="Ada Quill")
    priya = UserFactory(display_name="Priya Marchbank")
    post = thank(author, priya, words="You stayed with the caller through the whole bereavement call.",
                 values=("Compassion under pressure",), learning="Warm handovers help everyone.")
    viewer = UserFactory()
    for words in ("bereavement", "Marchbank", "compassion", "Quill", "handovers", "marchbank bereavement"):
        assert found_ids(viewer, words, "thanks") == [post.id], words


def test_stemming_and_the_unfinished_last_word_find_the_same_on_both_databases():
    post = thank(UserFactory(), UserFactory(), words="The crisis team arrived and you handed over calmly.")
    viewer = UserFactory()
    for words in ("arriving ", "handing ", "cris", "calm", "team arr"):
        assert found_ids(viewer, words, "thanks") == [post.id], words
    for words in ("cris ", "arrivals team zebra"):
        assert found_ids(viewer, words, "thanks") == [], words


def test_phrases_exclusions_and_alternatives():
    viewer = UserFactory()
    calm = thank(UserFactory(), UserFactory(), words="A calm voice on a hard call about housing benefit.")
    kind = thank(UserFactory(), UserFactory(), words="A kind word on the phone about housing, then a callback.")
    assert found_ids(viewer, '"calm voice" ', "thanks") == [calm.id]
    assert found_ids(viewer, '"voice calm" ', "thanks") == []
    assert found_ids(viewer, "housing -phone ", "thanks") == [calm.id]
    assert set(found_ids(viewer, "calm or callback ", "thanks")) == {calm.id, kind.id}


def test_the_people_thanked_weigh_most_then_the_words_then_the_rest():
    viewer = UserFactory()
    in_learning = thank(UserFactory(), UserFactory(), words="You stayed late on a long shift for the team.",
                        learning="Ask Wilberforce how the rota works.")
    in_words = thank(UserFactory(), UserFactory(), words="You covered for Wilberforce on a long shift today.")
    to_them = thank(UserFactory(), UserFactory(display_name="Sam Wilberforce"),
                    words="You covered a long shift for the team today.")
    assert found_ids(viewer, "wilberforce ", "thanks") == [to_them.id, in_words.id, in_learning.id]


def test_the_matched_words_are_marked_in_an_escaped_snippet():
    post = thank(UserFactory(), UserFactory(), words="You stayed on the line <b>with</b> a caller in crisis & calm.")
    [hit] = find(UserFactory(), "crisis ", kind="thanks")["thanks"].hits
    assert hit.obj.id == post.id
    [snippet] = hit.snippets
    assert "<mark>crisis</mark>" in snippet
    assert "&lt;b&gt;with&lt;/b&gt;" in snippet and "&amp; calm" in snippet and "<b>" not in snippet


def test_colleagues_by_name_job_and_unit_with_the_match_marked():
    north = UnitFactory(name="Northgate PALS")
    priya = UserFactory(display_name="Priya Okonkwo", job_title="Complaints adviser", unit=north)
    UserFactory(display_name="Okonkwo Former", is_active_account=False)
    viewer = UserFactory()
    assert found_ids(viewer, "okon", "people") == [priya.id]
    assert found_ids(viewer, "complaints adviser ", "people") == [priya.id]
    assert found_ids(viewer, "northgate", "people") == [priya.id]
    [hit] = find(viewer, "okonkwo ", kind="people")["people"].hits
    assert str(hit.title) == "Priya <mark>Okonkwo</mark>"
    assert (hit.endpoint, hit.args) == ("recognition.profile", {"person_id": priya.id})


def test_the_unit_filter_takes_the_unit_and_everything_beneath_it():
    trust = UnitFactory(name="Trust")
    pals = UnitFactory(name="PALS", parent=trust)
    north = UnitFactory(name="North", parent=pals)
    south = UnitFactory(name="South", parent=trust)
    in_north = thank(UserFactory(), UserFactory(unit=north), words="Lighthouse work on a busy Monday morning.")
    in_south = thank(UserFactory(), UserFactory(unit=south), words="Lighthouse work on a quiet Friday evening.")
    team = thank(UserFactory(), team=north, words="Lighthouse work by the whole team all week.")
    person = UserFactory(unit=north, display_name="Lighthouse Keeper")
    viewer = UserFactory()
    assert set(found_ids(viewer, "lighthouse ", "thanks", unit=pals)) == {in_north.id, team.id}
    assert found_ids(viewer, "lighthouse ", "thanks", unit=south) == [in_south.id]
    assert found_ids(viewer, "lighthouse ", "people", unit=pals) == [person.id]
    assert found_ids(viewer, "lighthouse ", "people", unit=south) == []


def test_the_tag_filter_takes_a_thank_yous_values():
    listened = thank(UserFactory(), UserFactory(), words="Marigold care for a worried caller.", values=("Listened",))
    thank(UserFactory(), UserFactory(), words="Marigold care on the front desk.", values=("Timely",))
    assert found_ids(UserFactory(), "marigold ", "thanks", tag="listened") == [listened.id]
    assert "Listened" in tag_choices()


def test_the_date_filter_uses_london_days():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    late = thank(UserFactory(), UserFactory(), words="Heron shift cover at midnight.",
                 created_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    viewer = UserFactory()
    july_1 = (datetime(2026, 6, 30, 23, 0, tzinfo=UTC), datetime(2026, 7, 1, 23, 0, tzinfo=UTC))
    june_30 = (datetime(2026, 6, 29, 23, 0, tzinfo=UTC), datetime(2026, 6, 30, 23, 0, tzinfo=UTC))
    assert found_ids(viewer, "heron ", "thanks", start=july_1[0], end=july_1[1]) == [late.id]
    assert found_ids(viewer, "heron ", "thanks", start=june_30[0], end=june_30[1]) == []


def test_colleagues_are_left_out_not_wrongly_filtered_when_a_tag_or_date_is_chosen():
    UserFactory(display_name="Kestrel Lane")
    viewer = UserFactory()
    assert found_ids(viewer, "kestrel ", "people") != []
    for filters in ({"tag": "Listened"}, {"start": utcnow() - timedelta(days=1)}):
        page = find(viewer, "kestrel ", **filters)["people"]
        assert page.left_out and page.hits == []


def test_newest_first_and_keyset_pages_cover_every_match_once_in_order():
    viewer = UserFactory()
    start = utcnow() - timedelta(days=30)
    posts = [thank(UserFactory(), UserFactory(), words=f"Puffin help number {n}" + " puffin" * (n % 3),
                   created_at=start + timedelta(days=n)) for n in range(7)]
    for sort in (Sort.NEWEST, Sort.RELEVANCE):
        seen, cursor = [], None
        while True:
            page = find(viewer, "puffin ", kind="thanks", size=3, sort=sort, after=cursor)["thanks"]
            seen += ids(page)
            if not page.has_more:
                break
            cursor = page.next_cursor
        everything = ids(find(viewer, "puffin ", kind="thanks", size=50, sort=sort)["thanks"])
        assert seen == everything and sorted(seen) == sorted(p.id for p in posts), sort
    assert ids(find(viewer, "puffin ", kind="thanks", sort=Sort.NEWEST)["thanks"]) == [p.id for p in posts[::-1]]


@pytest.fixture
def ranks_three(app):
    """Best first ranks only the newest three matches (SEARCH_RANKED_MATCHES is 1,000 by default)."""
    app.config["SEARCH_RANKED_MATCHES"] = 3
    yield
    app.config["SEARCH_RANKED_MATCHES"] = 1000


@pytest.mark.usefixtures("ranks_three")
def test_best_first_ranks_the_newest_matches_and_says_when_more_match():
    viewer = UserFactory()
    start = utcnow() - timedelta(days=30)
    # The oldest says "gannet" most, so it would rank first of all five.
    oldest = thank(UserFactory(), UserFactory(), words="Gannet gannet gannet gannet care.", created_at=start)
    posts = [thank(UserFactory(), UserFactory(), words=f"Gannet care on a long shift, number {n}.",
                   created_at=start + timedelta(days=n + 1)) for n in range(4)]
    page = find(viewer, "gannet ", kind="thanks")["thanks"]
    assert sorted(ids(page)) == sorted(p.id for p in posts[-3:]) and page.capped
    newest = find(viewer, "gannet ", kind="thanks", sort=Sort.NEWEST)["thanks"]
    assert ids(newest) == [p.id for p in [oldest, *posts][::-1]] and not newest.capped
    only_three = [thank(UserFactory(), UserFactory(), words=f"Fulmar care on a long shift, number {n}.")
                  for n in range(3)]
    exactly = find(viewer, "fulmar ", kind="thanks")["thanks"]
    assert sorted(ids(exactly)) == sorted(p.id for p in only_three) and not exactly.capped


@pytest.mark.usefixtures("ranks_three")
def test_the_filters_and_who_may_see_what_apply_before_the_newest_matches_are_kept():
    north, south = UnitFactory(name="North"), UnitFactory(name="South")
    viewer = UserFactory()
    start = utcnow() - timedelta(days=30)
    in_north = thank(UserFactory(), UserFactory(unit=north), words="Skua help in the north.", created_at=start)
    for n in range(4):  # newer, but in the south, or private between others
        thank(UserFactory(), UserFactory(unit=south), words=f"Skua help in the south {n}.",
              created_at=start + timedelta(days=n + 1))
        thank(UserFactory(), UserFactory(unit=north), words=f"Skua help kept private {n}.",
              visibility=Visibility.PRIVATE, created_at=start + timedelta(days=n + 1))
    page = find(viewer, "skua ", kind="thanks", unit=north)["thanks"]
    assert ids(page) == [in_north.id] and not page.capped


@pytest.mark.usefixtures("ranks_three")
def test_colleagues_have_no_dates_so_all_their_matches_are_ranked():
    people = [UserFactory(display_name=f"Guillemot {name}") for name in ("Ash", "Birch", "Cedar", "Damson", "Elm")]
    page = find(UserFactory(), "guillemot ", kind="people")["people"]
    assert sorted(ids(page)) == sorted(p.id for p in people) and not page.capped


@pytest.mark.usefixtures("notes_index", "ranks_three")
def test_notes_past_the_ranked_matches_are_capped_too():
    champion = UserFactory(champion=True)
    notes = [note(champion, title=f"Razorbill rota, part {n}") for n in range(4)]
    page = find(UserFactory(), "razorbill ", kind="notes")["notes"]
    assert sorted(ids(page)) == sorted(n.id for n in notes[1:]) and page.capped


@pytest.mark.usefixtures("ranks_three")
def test_pages_of_the_best_first_go_through_the_ranked_matches_once_each():
    viewer = UserFactory()
    start = utcnow() - timedelta(days=30)
    posts = [thank(UserFactory(), UserFactory(), words="Petrel help on a long shift" + " petrel" * (n % 3),
                   created_at=start + timedelta(days=n)) for n in range(5)]
    seen, cursor = [], None
    while True:
        page = find(viewer, "petrel ", kind="thanks", size=2, after=cursor)["thanks"]
        assert page.capped
        seen += ids(page)
        if not page.has_more:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(p.id for p in posts[-3:]) and len(seen) == 3


@pytest.mark.parametrize("cursor", ["", "nonsense", "W10", "WyJ4IiwxXQ", "WyJuYW4iLDFd", "WyJpbmYiLDFd",
                                    "W3siZHQiOiIyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwIn0sMV0"])
def test_a_tampered_or_foreign_cursor_starts_from_the_top(cursor):
    post = thank(UserFactory(), UserFactory(), words="Albatross patience on the phone.")
    assert found_ids(UserFactory(), "albatross ", "thanks", after=cursor) == [post.id]


def test_headlines_and_snippets_are_made_only_for_the_rows_shown():
    viewer = UserFactory()
    for n in range(6):
        thank(UserFactory(), UserFactory(), words=f"Shearwater help on a long day, number {n}.")
    marking = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if re.search(r"ts_headline|snippet\(|highlight\(", statement):
            marking.append(parameters)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        page = find(viewer, "shearwater ", kind="thanks", size=2)["thanks"]
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(ids(page)) == 2 and page.has_more
    [parameters] = marking  # one statement marks the words, for the two rows on the page and no others
    values = parameters.values() if isinstance(parameters, dict) else parameters
    assert {value for value in values if isinstance(value, int)} == set(ids(page))


# --- the index keeps in step ------------------------------------------------------------------------------------

def test_an_edit_changes_what_finds_the_thank_you():
    author = UserFactory()
    post = thank(author, UserFactory(), words="Walrus calm on a hard morning shift.")
    edit_thank_you(post=post, actor=author, words=ThankYou(
        what_they_did="Otter calm on a hard morning shift.", difference="", value_ids=value_ids("Timely"),
        visibility="public"))
    viewer = UserFactory()
    assert found_ids(viewer, "walrus ", "thanks") == []
    assert found_ids(viewer, "otter ", "thanks") == [post.id]
    assert found_ids(viewer, "timely ", "thanks") == [post.id] and found_ids(viewer, "listened ", "thanks") == []


def test_withdrawn_and_hidden_thank_yous_leave_the_index():
    author = UserFactory()
    withdrawn = thank(author, UserFactory(), words="Pelican patience with a shouting caller.")
    hidden = thank(UserFactory(), UserFactory(), words="Pelican patience at the front desk.")
    withdraw_thank_you(post=withdrawn, actor=author)
    hide_post(post=hidden, actor=UserFactory(hr=True), reason="Names a patient")
    assert found_ids(UserFactory(), "pelican ", "thanks") == []
    assert "Pelican" not in indexed_text()


def test_renaming_a_person_a_value_or_a_team_reindexes_what_names_them():
    team_unit = UnitFactory(name="Kingfisher team")
    person = UserFactory(display_name="Rowan Osei", job_title="Adviser", unit=team_unit)
    to_person = thank(UserFactory(), person, words="Steady work on the Monday rota.", values=("Listened",))
    to_team = thank(UserFactory(), team=team_unit, words="Steady work all winter.", values=("Timely",))
    viewer = UserFactory()
    person.display_name, person.job_title = "Rowan Mensah", "Senior adviser"
    team_unit.name = "Heron team"
    db.session.flush()
    rename_value(value=db.session.scalar(db.select(RecognitionValue).where(RecognitionValue.name == "Listened")),
                 name="Really listened", actor=UserFactory(hr=True))
    assert found_ids(viewer, "osei ", "thanks") == [] and found_ids(viewer, "osei ", "people") == []
    assert found_ids(viewer, "mensah ", "thanks") == [to_person.id]
    assert found_ids(viewer, "mensah senior ", "people") == [person.id]
    assert found_ids(viewer, "kingfisher ", "thanks") == [] and found_ids(viewer, "kingfisher ", "people") == []
    assert found_ids(viewer, "heron ", "thanks") == [to_team.id] and found_ids(viewer, "heron ", "people") == [
        person.id]
    assert found_ids(viewer, "really listened ", "thanks") == [to_person.id]


def test_a_leavers_name_replaced_leaves_the_index():
    # What anonymising a leaver does to their account (the privacy feature owns when): the name is replaced.
    leaver = UserFactory(display_name="Tamsin Featherstonehaugh", is_active_account=False)
    thank(leaver, UserFactory(), words="You helped me through my first week.")
    thank(UserFactory(), UserFactory(), words="Covering for Sam on a hard day.")
    assert "Featherstonehaugh" in indexed_text()
    leaver.display_name = "Former colleague"
    db.session.flush()
    assert "Featherstonehaugh" not in indexed_text()
    assert found_ids(UserFactory(), "featherstonehaugh ", "thanks") == []


def test_an_update_that_changes_nothing_indexed_leaves_the_entry_alone():
    post = thank(UserFactory(), UserFactory(), words="Gannet care for a lost visitor.")
    db.session.execute(update(Post).where(Post.id == post.id).values(appreciation_count=5))
    assert found_ids(UserFactory(), "gannet ", "thanks") == [post.id]


# --- practice notes -------------------------------------------------------------------------------------------

@pytest.fixture
def notes_index():
    assert notes_indexed()  # the notes' search index is built by migration 0010, after practice (0009)


needs_notes = pytest.mark.usefixtures("notes_index")


@needs_notes
def test_published_notes_are_found_by_title_summary_tags_and_body():
    champion = UserFactory(champion=True)
    published = note(champion, title="Scripts we stopped using", summary="And what we say instead.",
                     body="We dropped the *policy* line and now ask what matters to them.", tags=("scripts",))
    note(UserFactory(), title="Scripts in draft", submit=False)
    note(UserFactory(), title="Scripts waiting for a champion")
    viewer = UserFactory()
    for words in ("scripts ", "instead ", "matters ", "scripts policy "):
        assert found_ids(viewer, words, "notes") == [published.id], words
    [hit] = find(viewer, "matters ", kind="notes")["notes"].hits
    assert [str(s) for s in hit.snippets][1].count("<mark>matters</mark>") == 1
    assert (hit.endpoint, hit.args) == ("practice.show", {"note_id": published.id})


@needs_notes
def test_notes_by_tag_unit_and_date_and_hidden_ones_leave_the_index():
    trust = UnitFactory(name="Trust")
    north = UnitFactory(name="North", parent=trust)
    south = UnitFactory(name="South", parent=trust)
    champion = UserFactory(champion=True, unit=trust)
    in_north = note(champion, title="Quiet room bookings", unit=north, tags=("rooms",),
                    now=datetime(2026, 3, 2, 10, tzinfo=UTC))
    in_south = note(champion, title="Quiet room keys", unit=south, tags=("keys",))
    viewer = UserFactory()
    assert found_ids(viewer, "quiet ", "notes", unit=north) == [in_north.id]
    assert found_ids(viewer, "quiet ", "notes", tag="Rooms") == [in_north.id]
    assert found_ids(viewer, "quiet ", "notes", start=datetime(2026, 3, 1, tzinfo=UTC),
                     end=datetime(2026, 3, 3, tzinfo=UTC)) == [in_north.id]
    assert "rooms" in tag_choices()
    hide_note(note=in_south, actor=champion, reason="Out of date")
    assert found_ids(viewer, "quiet ", "notes") == [in_north.id]
    assert "Quiet room keys" not in indexed_text()


@needs_notes
def test_newest_notes_first():
    champion = UserFactory(champion=True)
    older = note(champion, title="Callback scripts", now=utcnow() - timedelta(days=3))
    newer = note(champion, title="Callback etiquette", now=utcnow() - timedelta(days=1))
    assert found_ids(UserFactory(), "callback ", "notes", sort=Sort.NEWEST) == [newer.id, older.id]


@needs_notes
def test_the_tag_filter_offers_each_tag_of_a_published_note_once():
    champion = UserFactory(champion=True)
    note(champion, title="Lanyard colours", tags=("lanyards", "Induction"))
    note(champion, title="Lanyard sizes", tags=("lanyards",))
    note(UserFactory(), title="Lanyard drafts", tags=("drafted",))  # waiting for a champion: not offered
    choices = tag_choices()
    assert choices.count("lanyards") == 1 and "Induction" in choices and "drafted" not in choices
    assert choices == sorted(choices, key=str.casefold)


@pytest.mark.postgres_only
def test_a_search_has_postgresql_plan_its_statements_for_the_words_and_other_pages_do_not():
    # A generic plan, made without the words, made rare-word searches two to three times slower at scale M; planning
    # every page's statements afresh cost the home page a third of its throughput.
    assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "auto"
    find(UserFactory(), "kittiwake ")
    assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"


# --- cost -------------------------------------------------------------------------------------------------------

def test_the_number_of_queries_does_not_grow_with_the_rows_shown(count_queries):
    viewer = UserFactory()

    def cost(count: int) -> int:
        for n in range(count):
            thank(UserFactory(), UserFactory(), team=UnitFactory(), words=f"Cormorant help on a long day, number {n}",
                  values=("Listened", "Timely"))
            UserFactory(display_name=f"Cormorant {n}")
            if notes_indexed():
                note(UserFactory(champion=True), title=f"Cormorant note {n}")
        with count_queries() as counter:
            pages = find(viewer, "cormorant ", size=25)
        assert all(len(page.hits) >= count for page in pages.values())
        return counter.count

    assert cost(2) == cost(10)
