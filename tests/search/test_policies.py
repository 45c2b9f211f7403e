"""Who finds what. Search adds no rule of its own: a thank-you is found by exactly the people recognition lets read
it, while it is live; a note while it is published; a colleague while their account is active. Private and team
thank-yous never reach anyone outside their circle — not as a hit, not through a snippet, not in the header's
drop-down — and the query itself (not only the check on the way out) keeps them out."""

import logging
import re

import pytest

from portal.practice.models import NoteState
from portal.recognition import policies as recognition
from portal.recognition.models import Visibility
from portal.recognition.moderation import hide_post
from portal.recognition.services import make_private, withdraw_thank_you
from portal.search import policies
from tests.factories import UnitFactory, UserFactory
from tests.search.factories import found_ids, note, thank

pytestmark = pytest.mark.usefixtures("app_ctx")
SECRET = "Quetzal words for the circle only, about a very hard shift."


@pytest.fixture
def cast():
    """A team inside an area; a person in it with a line manager; their teammate; an author; people outside."""
    area = UnitFactory(name="Patient experience")
    team = UnitFactory(name="South PALS", parent=area)
    sub_team = UnitFactory(name="South PALS evenings", parent=team)
    manager = UserFactory(display_name="Maya Manager")
    return {
        "author": UserFactory(display_name="Ada Author"),
        "named": UserFactory(unit=team, manager=manager, display_name="Rae Recipient"),
        "manager": manager,
        "teammate": UserFactory(unit=sub_team, display_name="Tess Teammate"),
        "area_colleague": UserFactory(unit=area, display_name="Alex Area"),
        "stranger": UserFactory(display_name="Sam Stranger"),
        "hr": UserFactory(hr=True, display_name="Hana Hr"),
        "admin": UserFactory(admin=True, display_name="Adam Admin"),
        "champion": UserFactory(champion=True, unit=area, display_name="Cam Champion"),
        "team": team,
    }


def posts_of_every_kind(cast) -> list:
    """Every visibility, to a person and to a whole team, live, withdrawn and hidden: all with the same word."""
    posts = []
    for visibility in Visibility:
        for to in ({"people": [cast["named"]]}, {"people": [], "team": cast["team"]}):
            for state in ("live", "withdrawn", "hidden"):
                post = thank(cast["author"], *to["people"], team=to.get("team"), visibility=visibility,
                             words=f"{SECRET} ({visibility}, {state})")
                if state == "withdrawn":
                    withdraw_thank_you(post=post, actor=cast["author"])
                elif state == "hidden" and visibility == Visibility.PUBLIC:
                    hide_post(post=post, actor=cast["hr"], reason="Names a patient")
                posts.append(post)
    return posts


PEOPLE = ("author", "named", "manager", "teammate", "area_colleague", "stranger", "hr", "admin", "champion")


@pytest.mark.parametrize("who", PEOPLE)
def test_each_person_finds_exactly_the_live_thank_yous_recognition_lets_them_read(cast, who, caplog):
    posts = posts_of_every_kind(cast)
    viewer = cast[who]
    expected = {post.id for post in posts if post.is_live and recognition.can_view(viewer, post)}
    with caplog.at_level(logging.ERROR):
        found = found_ids(viewer, "quetzal ", "thanks")
    assert set(found) == expected and len(found) == len(expected)
    assert not [r for r in caplog.records if "failed the policy" in r.getMessage()], "the query let through more"
    circle = who in ("author", "named", "manager", "teammate")
    assert any(post.visibility != Visibility.PUBLIC for post in posts if post.id in expected) == circle


def test_outsiders_never_see_private_or_team_words_on_the_page_or_in_the_drop_down(cast, as_user):
    thank(cast["author"], cast["named"], visibility=Visibility.PRIVATE, words=f"{SECRET} Private one.")
    thank(cast["author"], team=cast["team"], visibility=Visibility.TEAM, words=f"{SECRET} Team one.")
    for who in ("stranger", "hr", "admin", "champion", "area_colleague"):
        client = as_user(cast[who])
        for headers in ({}, {"HX-Request": "true", "HX-Target": "header-search-results"},
                        {"HX-Request": "true", "HX-Target": "search-results"}):
            page = client.get("/search?q=quetzal+circle+", headers=headers).get_data(as_text=True)
            assert "Quetzal" not in page and "circle only" not in page and "Rae Recipient" not in page, (who, headers)
    for who in ("named", "manager", "author"):
        page = as_user(cast[who]).get("/search?q=quetzal+").get_data(as_text=True)
        assert re.search(r"<mark>Quetzal</mark> words for the circle only", page), who
    page = as_user(cast["teammate"]).get("/search?q=quetzal+").get_data(as_text=True)
    assert "Team one" in page and "Private one" not in page


def test_made_private_by_the_person_thanked_it_leaves_everyone_elses_results(cast):
    post = thank(cast["author"], cast["named"], words=f"{SECRET} Public at first.")
    assert found_ids(cast["stranger"], "quetzal ", "thanks") == [post.id]
    make_private(post=post, actor=cast["named"])
    assert found_ids(cast["stranger"], "quetzal ", "thanks") == []
    assert found_ids(cast["manager"], "quetzal ", "thanks") == [post.id]


def test_only_published_notes_are_found(cast):
    from tests.search.test_services import notes_indexed

    assert notes_indexed()  # the notes' search index is built by migration 0010, after practice (0009)
    draft = note(cast["stranger"], title="Quetzal draft", submit=False)
    waiting = note(cast["stranger"], title="Quetzal waiting")
    published = note(cast["champion"], title="Quetzal published")
    assert draft.state == NoteState.DRAFT and waiting.state == NoteState.PENDING
    for who in PEOPLE:
        assert found_ids(cast[who], "quetzal ", "notes") == [published.id], who
    assert policies.can_find_note(cast["stranger"], published) and not policies.can_find_note(cast["stranger"], draft)


def test_deactivated_colleagues_are_not_offered(cast):
    active = UserFactory(display_name="Quetzal Active")
    UserFactory(display_name="Quetzal Gone", is_active_account=False)
    assert found_ids(cast["stranger"], "quetzal ", "people") == [active.id]


def test_the_policies_say_the_same_as_recognitions(cast):
    private = thank(cast["author"], cast["named"], visibility=Visibility.PRIVATE, words=f"{SECRET} Private.")
    assert policies.can_find_thanks(cast["manager"], private)
    assert not policies.can_find_thanks(cast["hr"], private)
    withdraw_thank_you(post=private, actor=cast["author"])
    assert not policies.can_find_thanks(cast["author"], private)
    assert policies.can_search(cast["stranger"])
    assert not policies.can_search(UserFactory(is_active_account=False))
    assert policies.can_find_colleague(cast["hr"], cast["named"])
