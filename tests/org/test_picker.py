"""The unit picker: choose a unit by typing part of its name, with or without JavaScript; never a list of all."""

import pytest

from portal.org.picker import unit_choice
from portal.org.services import ensure_unit_path
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def north():
    ensure_unit_path("Riverside Trust/PALS/South team")
    return ensure_unit_path("Riverside Trust/PALS/North team")


def test_a_chosen_unit_comes_back_with_its_full_name(north):
    choice = unit_choice({"unit": str(north.id)})
    assert (choice.unit, choice.label) == (north, "Riverside Trust / PALS / North team")


def test_words_find_matching_units_nearest_the_top_first(north):
    choice = unit_choice({"unit_q": "  team "})
    assert choice.unit is None
    assert [label for _, label in choice.matches] == ["Riverside Trust / PALS / North team",
                                                      "Riverside Trust / PALS / South team"]
    assert [label for _, label in unit_choice({"unit_q": "pals"}).matches] == ["Riverside Trust / PALS"]


def test_a_checked_match_wins_over_the_words_left_in_the_search_box(north):
    assert unit_choice({"unit_q": "North", "unit": str(north.id)}).unit == north
    again = unit_choice({"unit_q": "pals", "unit": str(north.id), "unit_find": "1"})  # "Find" searches again
    assert again.unit is None and [label for _, label in again.matches] == ["Riverside Trust / PALS"]


@pytest.mark.parametrize("values", [{"unit": "²"}, {"unit": "99999999999999999999"}, {"unit": "0"}, {"unit_q": "x"},
                                    {"unit": "1", "unit_change": "1"}, {"unit": "1", "unit_find": "1"}, {}])
def test_anything_else_chooses_nothing(north, values):
    assert unit_choice(values).unit is None


def test_without_javascript_the_matches_are_radio_buttons_and_a_single_one_is_ready_chosen(north, app):
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(
            '{% from "org/_unit_picker.html" import unit_picker %}{{ unit_picker(choice, "Unit") }}')
        one = template.render(choice=unit_choice({"unit_q": "north"}))
        none = template.render(choice=unit_choice({"unit_q": "Nowhere"}))
        chosen = template.render(choice=unit_choice({"unit": str(north.id)}))
    assert f'name="unit" value="{north.id}" checked' in one
    assert "No unit has a name like that." in none
    assert f'<input type="hidden" name="unit" value="{north.id}">' in chosen and 'name="unit_change"' in chosen


def test_the_live_matches_answer_htmx_with_just_the_radio_buttons(north, as_user):
    client = as_user(UserFactory())
    html = client.get("/units/pick?name=unit&unit_q=North", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Riverside Trust / PALS / North team" in html and "South team" not in html and "<html" not in html
    assert client.get("/units/pick?name=bad%20name&bad%20name_q=North").status_code == 400
