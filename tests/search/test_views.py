"""The search page over HTTP: the page, the fragments htmx asks for, "Show more" with and without JavaScript, the
filters' errors; every input answered without a 500; and an XSS corpus in thank-yous and names that comes back
escaped everywhere search shows it (page, snippets, drop-down, next pages)."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.recognition.models import Visibility
from tests.factories import UnitFactory, UserFactory
from tests.search.factories import note, thank
from tests.search.test_services import notes_indexed

pytestmark = pytest.mark.usefixtures("app_ctx")
PREVIEW = {"HX-Request": "true", "HX-Target": "header-search-results"}
RESULTS = {"HX-Request": "true", "HX-Target": "search-results"}


def text(response) -> str:
    return response.get_data(as_text=True)


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def results_of(html: str) -> str:
    """What search found (the page's own form, with its filters in a <details>, left out)."""
    return html[html.index('<div id="search-results"'):html.index("</main>")]


@pytest.fixture
def viewer(as_user):
    return as_user(UserFactory(display_name="Vera Viewer"))


def test_the_page_shows_each_kind_best_first_with_the_words_marked(viewer):
    thank(UserFactory(display_name="Ada Author"), UserFactory(display_name="Priya Patel"),
          words="You stayed with a caller in crisis until the crisis team came.")
    UserFactory(display_name="Crispin Crisis", job_title="Duty manager")
    if notes_indexed():
        note(UserFactory(champion=True), title="Crisis calls: what we say first")
    response = viewer.get("/search?q=crisis")
    page = main_of(text(response))
    assert response.status_code == 200
    assert "<title>Search: crisis – Frontline</title>" in text(response)
    assert "Ada Author thanked Priya Patel" in page and "<mark>crisis</mark>" in page
    assert "Crispin <mark>Crisis</mark>" in page and "Duty manager" in page
    headings = re.findall(r'<h2 class="search-section__heading"[^>]*>([^<]+)</h2>', page)
    assert headings == (["Practice notes"] if notes_indexed() else []) + ["Thank-yous", "Colleagues"]
    if notes_indexed():
        assert "<mark>Crisis</mark> calls: what we say first" in page
    assert {"HX-Request", "HX-Target"} <= set(response.vary)


def test_when_more_match_than_are_ranked_the_page_says_so_and_how_to_narrow_it(viewer, app):
    for n in range(4):
        thank(UserFactory(), UserFactory(), words=f"Cormorant help on a long shift, number {n}.")
    app.config["SEARCH_RANKED_MATCHES"] = 3
    try:
        capped = results_of(text(viewer.get("/search?q=cormorant")))
        newest = results_of(text(viewer.get("/search?q=cormorant&sort=newest")))
    finally:
        app.config["SEARCH_RANKED_MATCHES"] = 1000
    told = "More than 3 match. These are the best of the newest 3."
    assert told in capped and capped.count('class="card search-hit"') == 3
    assert told not in newest and newest.count('class="card search-hit"') == 4
    assert told not in results_of(text(viewer.get("/search?q=cormorant")))


def test_without_words_the_page_invites_a_search_and_common_words_alone_say_why_nothing_was_searched(viewer):
    assert "Type a name, or some words" in text(viewer.get("/search?q=+"))
    assert "Type a name" not in text(viewer.get("/search"))
    assert "There is nothing to look for in “the and”" in text(viewer.get("/search?q=the+and"))
    assert "Nothing found for “zzyzx”" in text(viewer.get("/search?q=zzyzx"))


def test_typing_on_the_page_gets_the_results_only_and_a_status_line(viewer):
    thank(UserFactory(), UserFactory(), words="Harbour calm on a very busy shift.")
    html = text(viewer.get("/search?q=harb", headers=RESULTS))
    assert "<html" not in html and "<mark>Harbour</mark>" in html
    assert re.search(r'id="search-status" aria-live="polite" hx-swap-oob="true">'
                     r"Practice notes: 0\. Thank-yous: 1\. Colleagues: 0\.", html)


def test_the_header_drop_down_shows_the_best_few_and_a_link_to_everything(viewer):
    for n in range(5):
        thank(UserFactory(), UserFactory(), words=f"Estuary help with a long call, number {n}.")
    html = text(viewer.get("/search?q=estuary", headers=PREVIEW))
    assert "<html" not in html and html.count('<li><a href="/thanks/') == 3
    assert 'href="/search?q=estuary"' in html and "See all results for “estuary”" in html
    assert ('id="header-search-status" aria-live="polite" hx-swap-oob="true">'
            "Practice notes: 0. Thank-yous: 3 or more. Colleagues: 0.") in html
    assert text(viewer.get("/search?q=", headers=PREVIEW)).strip().endswith('hx-swap-oob="true"></div>')
    assert "Nothing found for “zzyzx”" in text(viewer.get("/search?q=zzyzx", headers=PREVIEW))


def show_more_link(html: str, kind: str) -> str:
    found = re.search(rf'<li class="show-more" id="more-{kind}">\s*<a href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else ""


def test_show_more_without_javascript_is_the_next_page_of_that_kind(viewer, app):
    app.config["PAGE_SIZE"] = 4
    try:
        posts = [thank(UserFactory(), UserFactory(), words=f"Lagoon patience with caller number {n}.")
                 for n in range(11)]
        first = text(viewer.get("/search?q=lagoon&sort=newest"))
        assert main_of(first).count('<article class="card search-hit">') == 5
        link = show_more_link(first, "thanks")
        assert parse_qs(urlsplit(link).query)["type"] == ["thanks"] and "sort=newest" in link
        seen = re.findall(r'href="/thanks/(\d+)"', main_of(first))
        while link:
            html = text(viewer.get(link))
            seen += re.findall(r'href="/thanks/(\d+)"', main_of(html))
            link = show_more_link(html, "thanks")
        assert [int(n) for n in seen] == [post.id for post in reversed(posts)]
    finally:
        app.config["PAGE_SIZE"] = 25


def test_show_more_with_htmx_sends_the_next_hits_and_focuses_the_first(viewer):
    for n in range(8):
        thank(UserFactory(), UserFactory(), words=f"Fjord patience with caller number {n}.")
    link = show_more_link(text(viewer.get("/search?q=fjord")), "thanks")
    html = text(viewer.get(link, headers={"HX-Request": "true", "HX-Target": "more-thanks"}))
    assert "<html" not in html and "<main" not in html
    assert html.count('<article class="card search-hit">') == 3
    assert html.count("data-focus-after-swap") == 1 and 'id="more-thanks"' not in html


def test_filters_that_do_not_apply_say_so_and_bad_dates_are_errors_next_to_their_fields(viewer):
    UserFactory(display_name="Osprey Jones")
    html = text(viewer.get("/search?q=osprey&tag=Listened"))
    assert "Not searched: colleagues have no tags or dates" in html
    response = viewer.get("/search?q=osprey&from=2026-02-30&to=2025-01-01")
    html = text(response)
    assert response.status_code == 200 and "<title>Error: Search: osprey" in html
    assert 'href="#from"' in html and "Enter a real date" in html
    html = text(viewer.get("/search?q=osprey&from=2026-03-01&to=2026-02-01"))
    assert "The To date must be the same as or after the From date" in html
    assert "Enter a date between 2000 and 2099" in text(viewer.get("/search?q=osprey&from=1999-12-31"))
    assert 'class="search-filters" open' in html


def test_the_unit_picker_filters_and_finds_units_without_javascript(viewer):
    area = UnitFactory(name="Lowland district")
    person = UserFactory(display_name="Puffin Lowland", unit=UnitFactory(name="Puffin office", parent=area))
    UserFactory(display_name="Puffin Elsewhere")
    html = text(viewer.get("/search?q=puffin&unit_q=lowland"))
    assert f'name="unit" value="{area.id}"' in html and "Lowland district" in html
    html = main_of(text(viewer.get(f"/search?q=puffin+&unit={area.id}")))
    assert f'href="/thanks/people/{person.id}"' in html and "Elsewhere" not in html


def test_a_tampered_type_or_order_falls_back_to_the_defaults(viewer):
    thank(UserFactory(), UserFactory(), words="Curlew care on a long shift.")
    html = text(viewer.get("/search?q=curlew&type=secrets&sort=loudest"))
    assert "Curlew" in main_of(html)
    assert re.search(r'<input checked [^>]*id="sort-0"[^>]*value="relevance"', html)
    assert re.search(r'<input checked [^>]*id="type-0"[^>]*value=""', html)


QUERY_VALUES = st.one_of(st.text(max_size=260), st.sampled_from(
    ["", "²", "-1", "99999999999999999999", "' OR 1=1 --", '"', "*", "NEAR(a b)", "a:*", "\\", "%", "٣",
     "\u202e", "2026-02-30", "W10", "eyJ4Ijp9"]))


@given(q=QUERY_VALUES, kind=QUERY_VALUES, tag=QUERY_VALUES, first=QUERY_VALUES, last=QUERY_VALUES,
       sort=QUERY_VALUES, after=QUERY_VALUES, unit=QUERY_VALUES, unit_q=QUERY_VALUES, target=st.sampled_from(
           [None, "header-search-results", "search-results", "more-thanks"]))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_input_is_a_server_error(viewer, q, kind, tag, first, last, sort, after, unit, unit_q, target):
    arguments = {"q": q, "type": kind, "tag": tag, "from": first, "to": last, "sort": sort, "after": after,
                 "unit": unit, "unit_q": unit_q}
    arguments = {name: value.replace("\x00", "") for name, value in arguments.items()}
    headers = {"HX-Request": "true", "HX-Target": target} if target else {}
    assert viewer.get("/search", query_string=arguments, headers=headers).status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_hits_shown(viewer, count_queries):
    def cost(count: int) -> int:
        for n in range(count):
            thank(UserFactory(), UserFactory(), words=f"Plover help on a hard day, number {n}.")
            UserFactory(display_name=f"Plover {n}")
        with count_queries() as counter:
            assert viewer.get("/search?q=plover").status_code == 200
        return counter.count

    assert cost(1) == cost(6)


# --- the XSS corpus -----------------------------------------------------------------------------------------------

CORPUS = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<a href=\"javascript:alert(1)\">click</a> javascript:alert(1)",
    "<a href='data:text/html,<script>alert(1)</script>'>data link</a>",
    "<iframe src=//evil.example></iframe>",
    "<style>body{display:none}</style><div style=\"background:url(javascript:alert(1))\">css</div>",
    "<body onload=alert(1)> <details open ontoggle=alert(1)>",
    "{{ 7*7 }} {% raw %} ${7*7} #{7*7} <%= 7*7 %>",
    "\u202egnp.exe <scr\u200bipt>alert(1)</scr\u200bipt> ＜script＞alert(1)＜/script＞",
    "\ue000<mark>fake</mark>\ue001 &lt;script&gt; &amp;",
    "`${alert(1)}` </textarea><textarea>",
]
FORBIDDEN = re.compile(r"<(script|img|svg|iframe|style|body|details|textarea|circle)\b|javascript:alert\(1\)\"?>"
                       r"|<[^<>]*\son\w+=|href=\"?(javascript|data):", re.IGNORECASE)  # an on…= inside a real tag


class Elements(HTMLParser):
    """Every start tag and attribute the browser would build."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


def assert_inert(html: str) -> None:
    allowed = {"a", "p", "mark", "ul", "li", "h2", "h3", "article", "section", "time", "span", "strong", "div",
               "form", "label", "input", "button", "details", "summary", "fieldset", "legend", "select", "option",
               "main", "h1", "link"}
    for tag, attrs in elements(html):
        assert tag in allowed, tag
        assert not [name for name in attrs if name.startswith("on") or name == "style"], (tag, attrs)
        for name in ("href", "src", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "//", "http")), (tag, attrs)


@pytest.fixture
def corpus():
    """A thank-you of every payload, and people named with them, all findable by the word 'kittiwake'."""
    author = UserFactory(display_name="<script>alert('author')</script> Kittiwake")
    for n, payload in enumerate(CORPUS):
        person = UserFactory(display_name=f"{payload[:100]} Kittiwake{n}", job_title=payload[:120])
        thank(author, person, words=f"Kittiwake {payload}", visibility=Visibility.PUBLIC, learning=payload)
    return author


def test_the_xss_corpus_comes_back_escaped_in_every_view_of_search(viewer, corpus):
    views = [("/search?q=kittiwake", {}), ("/search?q=kittiwake&type=people", {}),
             ("/search?q=kittiwake&type=thanks", {}),
             ("/search?q=kittiwake", RESULTS), ("/search?q=kittiwak", PREVIEW),
             ("/search?q=alert+kittiwake", {}), ("/search?q=script", {}), ("/search?q=javascript", {})]
    for url, headers in views:
        html = text(viewer.get(url, headers=headers))
        region = results_of(html) if "<main" in html else html
        assert not FORBIDDEN.search(region), (url, FORBIDDEN.search(region))
        assert_inert(region)
    page = main_of(text(viewer.get("/search?q=kittiwake&type=thanks")))  # every one of them, not the best five
    assert "&lt;script&gt;alert(&#39;author&#39;)&lt;/script&gt; Kittiwake thanked" in page
    assert "{{ 7*7 }}" in page and "${7*7}" in page and ">49<" not in page
    assert "&lt;mark&gt;fake&lt;/mark&gt;" in page and "&amp;lt;script&amp;gt; &amp;amp;" in page
    assert page.count("<mark>") == page.count("</mark>")


def test_a_page_of_more_hits_escapes_the_corpus_too(viewer, corpus):
    link = show_more_link(text(viewer.get("/search?q=kittiwake")), "thanks")
    html = text(viewer.get(link, headers={"HX-Request": "true", "HX-Target": "more-thanks"}))
    assert html.count('<article class="card search-hit">') >= 5
    assert not FORBIDDEN.search(html)
    assert_inert(html)


def test_the_pages_and_fragments_are_valid_html(viewer, corpus, html_checker):
    def errors(html: str) -> list[str]:  # htmx's hx-* attributes aside, as in tests/common/test_routes.py
        return [message for message in html_checker.errors(html) if not message.startswith("Attribute “hx-")]

    note(UserFactory(champion=True), title="Kittiwake notes", tags=("kittiwake",))
    for url in ("/search?q=kittiwake", "/search?q=kittiwake&type=thanks&sort=newest",
                "/search?q=kittiwake&from=2026-02-30&to=1999-01-01", "/search?q=the", "/search?q=zzyzx", "/search"):
        assert errors(text(viewer.get(url))) == [], url
    shell = '<!doctype html><html lang="en"><head><title>x</title></head><body><main>{}</main></body></html>'
    for url, headers in (("/search?q=kittiwak", PREVIEW), ("/search?q=kittiwake", RESULTS)):
        assert errors(shell.format(text(viewer.get(url, headers=headers)))) == [], url
