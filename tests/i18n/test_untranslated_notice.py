"""In Welsh, a page with a string that has no translation says so at the top, in Welsh and English, instead of
silently mixing the languages; the staff pages have no such string.

Every message goes through Flask-Babel's domain (``portal.common.i18n.NoticingDomain``), which notes on ``g`` each
message the Welsh catalogue has no entry for; the base layout's slot in <main> becomes the notice after the request.
"""

import pytest
from flask import Response, render_template_string
from flask_babel import force_locale, gettext, ngettext

from portal.common.i18n import UNTRANSLATED_NOTICE, untranslated_messages
from tests.factories import UserFactory
from tests.recognition.factories import thank

pytestmark = pytest.mark.usefixtures("app_ctx")

NOTICE_WELSH = "Nid yw rhan o'r dudalen hon ar gael yn Gymraeg eto"
NOTICE_ENGLISH = "Part of this page is not yet available in Welsh"
LAYOUT = '{% extends "base.html" %}{% block content %}<h1>{{ _(heading) }}</h1>{% endblock %}'

STAFF_PAGES = ["/", "/thanks", "/thanks/new", "/awards", "/support", "/support/book", "/debriefs", "/debriefs/new",
               "/notifications", "/notifications/preferences", "/account/password", "/no-such-page"]
SIGNED_OUT_PAGES = ["/login", "/password/reset", "/password/reset/sent"]


def in_welsh(client):
    client.post("/language", data={"locale": "cy", "next": "/"})
    return client


def rendered(app, heading: str, language: str) -> str:
    """A page in the base layout whose heading is ``heading``, through the app's real after-request hooks."""
    with app.test_request_context("/"), force_locale(language):
        response = Response(render_template_string(LAYOUT, heading=heading), mimetype="text/html")
        return app.process_response(response).get_data(as_text=True)


def test_a_welsh_page_with_an_untranslated_string_says_so_at_the_top(app):
    page = rendered(app, "A heading nobody has translated", "cy")
    assert UNTRANSLATED_NOTICE in page
    main = page[page.index("<main"):]
    assert main.index(NOTICE_WELSH) < main.index("<h1>")
    assert '<p lang="cy">' in main and '<p lang="en-GB">' in main


def test_a_fully_translated_welsh_page_has_no_notice_and_no_slot_left(app):
    page = rendered(app, "Say thank you", "cy")
    assert "<h1>Dweud diolch</h1>" in page
    assert NOTICE_ENGLISH not in page and "untranslated-notice" not in page


def test_english_pages_never_show_it(app):
    page = rendered(app, "A heading nobody has translated", "en")
    assert NOTICE_ENGLISH not in page and "untranslated-notice" not in page


def test_python_messages_and_plurals_are_noticed_too(app):
    with app.test_request_context("/"), force_locale("cy"):
        assert gettext("Say thank you") == "Dweud diolch"
        assert untranslated_messages() == set()
        gettext("Nobody translated this")
        ngettext("%(num)d thing nobody translated", "%(num)d things nobody translated", 3)
        ngettext("%(num)d comment", "%(num)d comments", 3)  # translated
        assert untranslated_messages() == {"Nobody translated this", "%(num)d thing nobody translated"}


def test_every_staff_page_is_all_welsh(as_user, client):
    me, colleague = UserFactory(display_name="Ceri Jones"), UserFactory(display_name="Dafydd Evans")
    thank(colleague, me, words="You stayed on the line with a caller in crisis until help came.")
    staff = in_welsh(as_user(me))
    signed_out = in_welsh(client)
    for path in STAFF_PAGES + SIGNED_OUT_PAGES:
        response = (signed_out if path in SIGNED_OUT_PAGES else staff).get(path)
        page = response.get_data(as_text=True)
        assert '<html lang="cy">' in page, path
        assert NOTICE_ENGLISH not in page, f"{path} has English in it: {sorted(untranslated_messages())}"

