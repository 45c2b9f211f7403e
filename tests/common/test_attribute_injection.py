"""Words people choose never become HTML attributes: macros take attributes as a dict rendered with ``xmlattr``."""

import re

import pytest

from portal.recognition.services import add_value
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")
SNEAKY = "Brave hidden autofocus onfocus=alert(1)//"


def test_a_value_named_like_attributes_stays_inside_the_buttons_label(as_user):
    hr = UserFactory(hr=True)
    add_value(name=SNEAKY, actor=hr)
    page = as_user(hr).get("/thanks/values").get_data(as_text=True)
    buttons = re.findall(r"<button[^>]*>", page)
    labelled = [b for b in buttons if "alert(1)" in b]
    assert len(labelled) == 2  # "Retire …" and "Delete …"
    for button in labelled:
        assert "autofocus" not in button.replace(SNEAKY, "") and "onfocus" not in button.replace(SNEAKY, "")
        assert re.search(r'aria-label="(Retire|Delete) Brave hidden autofocus onfocus=alert\(1\)//"', button)


def test_the_macro_refuses_an_attribute_name_that_is_not_one(app):
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(
            '{% from "macros/forms.html" import post_button %}{{ post_button("/x", "Go", attrs=attrs) }}')
        with pytest.raises(ValueError, match="Invalid character"):
            template.render(attrs={'onfocus="x" a': "1"}, csrf_token=lambda: "t")
