"""Marked snippets are escaped text with balanced <mark> elements, whatever the text holds — and only the markers
of this search make a highlight: nothing typed into a thank-you can."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.search.marks import Markers, has_marks

MARKERS = Markers.new()
S, E = MARKERS.start, MARKERS.end
PIECES = st.lists(st.one_of(st.text(max_size=20), st.sampled_from([S, E, "\ue000", "\ue001", "<", ">", "&", '"', "'",
                                                                   "</mark>", "<script>", "\u202e"])), max_size=20)


def test_matched_words_are_marked_and_the_rest_escaped():
    assert MARKERS.marked(f"a {S}crisis{E} <b>&") == "a <mark>crisis</mark> &lt;b&gt;&amp;"
    assert MARKERS.marked(None) == "" and MARKERS.marked("") == ""


def test_stray_markers_cannot_unbalance_the_marks():
    assert MARKERS.marked(f"{E}x{S}y{S}z") == "x<mark>yz</mark>"
    assert MARKERS.marked(f"{S}{S}a{E}{E}b") == "<mark>a</mark>b"


def test_another_searchs_markers_or_private_use_characters_are_only_text():
    other = Markers.new()
    assert other != MARKERS
    text = f"{other.start}fake{other.end} \ue000<mark>x</mark>\ue001"
    output = MARKERS.marked(text)
    assert not has_marks(output)
    assert html.unescape(str(output)) == text


@given(PIECES)
@settings(max_examples=500, deadline=None)
def test_the_output_is_only_escaped_text_and_marks(pieces):
    text = "".join(pieces)
    output = str(MARKERS.marked(text))
    tags = re.findall(r"<[^>]*>", output)
    assert all(tag in ("<mark>", "</mark>") for tag in tags)
    depth = 0
    for tag in tags:
        depth += 1 if tag == "<mark>" else -1
        assert depth in (0, 1)
    assert depth == 0
    plain = html.unescape(re.sub(r"</?mark>", "", output))
    assert plain == text.replace(S, "").replace(E, "")
