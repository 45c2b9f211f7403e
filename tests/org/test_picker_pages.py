"""Every page that chooses a unit does it with the unit picker, never a list of every unit: it runs the same number
of queries with 5 units or 50, and shows none of their names (a trust has a thousand teams and 20,000 staff).
Without JavaScript the picker's "Find" sends the form back with the matches and keeps what was written."""

from __future__ import annotations

import re

import pytest

from portal.common.roles import Role
from tests.awards.factories import make_scheme
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import WORDS

pytestmark = pytest.mark.usefixtures("app_ctx")

PAGES = ["/thanks/new", "/awards/schemes/{scheme}/nominate", "/thanks", "/admin/users/new", "/admin/users",
         "/debriefs/rota"]


@pytest.fixture
def viewer():
    return UserFactory(roles=(Role.STAFF, Role.ADMIN, Role.HR), unit=UnitFactory(name="Viewer's office"))


def _make_units(start: int, stop: int) -> None:
    district = UnitFactory(name=f"Haystack district {start}")
    for n in range(start, stop):
        UnitFactory(name=f"Haystack team {n}", parent=district)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_that_chooses_a_unit_does_not_grow_with_the_number_of_units(as_user, viewer, count_queries, page):
    url = page.format(scheme=make_scheme().id)
    client = as_user(viewer)
    _make_units(0, 4)  # with the viewer's own: 5 units
    assert client.get(url).status_code == 200  # once first: caches warm, values seeded
    with count_queries() as few:
        few_html = client.get(url).get_data(as_text=True)
    _make_units(4, 49)  # 50
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert many.count == few.count, url
    assert "Haystack" not in html and html.count("<option") == few_html.count("<option"), url
    assert 'class="form-group unit-picker' in html, url


def test_the_thank_you_team_picker_finds_a_team_without_javascript_and_keeps_the_words(as_user):
    team = UnitFactory(name="Bereavement office", parent=UnitFactory(name="Riverside Trust"))
    UnitFactory(name="Complaints")
    colleague = UserFactory(display_name="Priya Patel")
    client = as_user(UserFactory())
    html = client.post("/thanks/new", data={"to": str(colleague.id), "what_they_did": WORDS, "team_q": "bereave",
                                             "team_find": "1"}).get_data(as_text=True)
    assert f'name="team" value="{team.id}" checked' in html and "Riverside Trust / Bereavement office" in html
    assert "Complaints" not in html and WORDS in html and f'name="to" value="{colleague.id}"' in html
    assert "There is a problem" not in html  # searching checks nothing and sends nothing


def test_the_live_team_matches_come_from_the_unit_picker_endpoint(as_user):
    UnitFactory(name="Bereavement office")
    html = as_user(UserFactory()).get("/units/pick", query_string={"name": "duty-unit_id", "duty-unit_id_q": "bereav"},
                                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert re.search(r'name="duty-unit_id" value="\d+" checked', html) and "Bereavement office" in html


def test_a_thank_you_to_a_team_chosen_by_id_reaches_the_check_page_with_its_full_name(as_user):
    team = UnitFactory(name="Bereavement office", parent=UnitFactory(name="Riverside Trust"))
    from tests.recognition.factories import value_ids

    html = as_user(UserFactory()).post("/thanks/new", data={
        "team": str(team.id), "team_q": "bereav", "what_they_did": WORDS, "difference": "", "learning": "",
        "values": [str(v) for v in value_ids("Listened")], "visibility": "public", "step": "check",
    }).get_data(as_text=True)
    assert "Everyone in Riverside Trust / Bereavement office" in html
    assert f'<input type="hidden" name="team" value="{team.id}">' in html
