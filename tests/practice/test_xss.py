"""An XSS corpus through every place a person's words reach a good-practice page: note titles, summaries, bodies
(Markdown), the structured prompts, tags, comments, reasons, flags; shown on the list, the note, the editor and its
preview, the queue, the word diff, the personal-data warning and the home page. None of it may come back as markup:
no element, attribute or link scheme a person typed ever appears in the HTML (the browser test in test_browser.py
also checks that nothing runs)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.practice import moderation
from portal.practice.cascade import feature_note
from portal.practice.models import Note, NoteState
from portal.practice.reactions import add_comment, flag_note, report_comment
from portal.practice.services import edit_note
from tests.practice.factories import area, content, write

pytestmark = pytest.mark.usefixtures("app_ctx")

CORPUS = [
    '<script>alert("title")</script>',
    '<img src=x onerror=alert(1)>',
    '"><svg onload=alert(1)>',
    "<svg><script>alert(1)</script></svg>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<div style=\"background:url(javascript:alert(1))\">css</div>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "＜script＞alert(1)＜/script＞ \u202egnp.exe \u200bjava\u200bscript:alert(1)",
    "{{ 7*7 }} {% raw %} ${alert(1)} `${alert(1)}` #{7*7}",
    "<<SCRIPT>alert(1);//<</SCRIPT>",
    "<body onload=alert(1)>",
    "'';!--\"<XSS>=&{()}",
]

MARKDOWN_LINKS = [
    "[a](javascript:alert(1))",
    "[b](JaVaScRiPt:alert(1))",
    "[c](java\tscript:alert(1))",
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[e](vbscript:msgbox(1))",
    "![f](x\" onerror=\"alert(1))",
    "[g](https://example.org \"x\\\" onmouseover=\\\"alert(1)\")",
    "<javascript:alert(1)>",
]

SCHEMES = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)
# Elements a person's words must never produce. Our own pages use <script src> in <head> only, and <link> to CSS.
NEVER = {"iframe", "object", "embed", "svg", "math", "style", "img", "base", "xss", "frame", "frameset"}


class Scanner(HTMLParser):
    """Collects every element and attribute that would be live in a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.bodies = 0
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.bodies += 1
        if tag in NEVER:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "<inline>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "style":
                self.problems.append(f"<{tag} style>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value and SCHEMES.match(
                    re.sub(r"[\x00-\x20\u200b]", "", value)):
                self.problems.append(f"<{tag} {name}={value}>")


def problems_in(html: str) -> list[str]:
    scanner = Scanner()
    scanner.feed(html)
    scanner.close()
    found = list(scanner.problems)
    if scanner.bodies > 1:
        found.append("a second <body>")
    found += [f"script {src}" for src in scanner.scripts if not src.startswith("/static/")]
    return found


def assert_inert(response, *, expect_text: str | None = None) -> str:
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert problems_in(html) == []
    if expect_text is not None:
        assert expect_text in html, f"{expect_text!r} not shown"
    return html


def escaped(text: str) -> str:
    """How Jinja's autoescape writes ``text``."""
    from markupsafe import escape

    return str(escape(text))


def test_the_scanner_finds_what_it_looks_for():
    assert problems_in('<p><img src=x onerror=alert(1)></p>') == ["<img>", "<img onerror>"]
    assert problems_in('<a href=" JaVa\tScRiPt:alert(1)">x</a>') == ['<a href= JaVa\tScRiPt:alert(1)>']
    assert problems_in('<script>alert(1)</script>') == ["script <inline>"]
    assert problems_in('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>') == []


@pytest.mark.parametrize("payload", CORPUS)
def test_a_payload_never_becomes_markup_anywhere_a_note_is_shown(as_user, payload):
    a = area()
    body = f"{payload}\n\n" + "\n\n".join(MARKDOWN_LINKS)
    note = write(a.staff, title=payload[:120], summary=payload[:200], body_source=body, situation=payload,
                 what_we_did=payload, what_changed=payload, tips=payload)
    moderation.request_changes(note=note, actor=a.champion, reason=payload)
    edit_note(note=note, editor=a.staff, content=content(a.north, title=f"v2 {payload}"[:120], summary=payload[:200],
                                                         body_source=f"{body}\n\nNow {payload} again",
                                                         tips=f"{payload} more"),
              version=note.version, submit=True)
    champion, staff, colleague = as_user(a.champion), as_user(a.staff), as_user(a.colleague)
    shown = escaped(payload[:40])

    # The author's view of the decision, and the champion's queue and diff of a waiting note.
    assert_inert(staff.get(f"/practice/{note.id}"), expect_text=shown)
    assert_inert(champion.get("/practice/review"), expect_text=escaped(f"v2 {payload}"[:40]))
    diff = assert_inert(champion.get(f"/practice/{note.id}/review"))
    assert "<ins" in diff or "<del" in diff
    assert_inert(staff.get(f"/practice/{note.id}/edit"), expect_text=escaped(payload[:40]))
    assert_inert(champion.get(f"/practice/{note.id}/request-changes"))

    moderation.approve_note(note=note, actor=a.champion)
    comment = add_comment(note=note, author=a.colleague, body=payload)
    report_comment(comment=comment, reporter=a.staff, reason=payload)
    flag_note(note=note, reporter=a.colleague, reason="other", detail=payload)
    feature_note(note=note, actor=a.champion, unit=a.pals, until=utcnow().date())
    db.session.flush()

    assert_inert(colleague.get(f"/practice/{note.id}"), expect_text=escaped(payload[:40]))
    assert_inert(colleague.get("/practice"), expect_text=escaped(f"v2 {payload}"[:40]))
    assert_inert(champion.get("/practice/review"), expect_text=escaped(payload[:40]))
    assert_inert(champion.get(f"/practice/{note.id}/review"), expect_text=escaped(payload[:40]))
    assert_inert(staff.get("/"), expect_text=escaped(f"v2 {payload}"[:40]))
    assert_inert(staff.get("/practice/mine"))
    assert_inert(colleague.get(f"/practice/comments/{comment.id}/report"), expect_text=escaped(payload[:40]))


@pytest.mark.parametrize("payload", CORPUS)
def test_the_editor_preview_and_a_refused_form_keep_payloads_inert(as_user, payload):
    a = area()
    client = as_user(a.staff)
    form = {"title": payload[:120], "summary": payload[:200], "body_source": payload + "\n\n" + MARKDOWN_LINKS[0]
            + " 943 476 5919", "unit": str(a.north.id), "tags": payload[:400]}
    # Tags allow letters, numbers, spaces and hyphens only: the form comes back with the payload kept, escaped.
    html = assert_inert(client.post("/practice/new", data={**form, "action": "submit"}))
    assert re.search("Tags can use letters, numbers, spaces and hyphens only|Each tag must be 40 characters", html)
    assert escaped(payload[:40]) in html
    assert db.session.scalar(select(Note).where(Note.author_id == a.staff.id)) is None
    assert_inert(client.post("/practice/new", data={**form, "action": "preview"}))
    live = client.post("/practice/preview", data=form, headers={"HX-Request": "true"})
    assert_inert(live)
    assert "<mark" in live.get_data(as_text=True)  # the NHS number, marked in the warning: the rest escaped


def test_tags_cannot_carry_markup_even_after_unicode_normalisation(as_user):
    a = area()
    for tags in ("<script>", "＜script＞", "a\u200bb", "x\"onmouseover=alert(1)", "tag{{7*7}}"):
        response = as_user(a.staff).post("/practice/new", data={
            "title": "Tags", "summary": "Tags", "body_source": "Tags", "unit": str(a.north.id), "tags": tags,
            "action": "submit"})
        html = assert_inert(response)
        assert "Tags can use letters, numbers, spaces and hyphens only" in html, tags
    assert db.session.scalar(select(Note).where(Note.author_id == a.staff.id)) is None


def test_stored_body_html_holds_no_live_markup():
    a = area()
    note = write(a.staff, body_source="\n\n".join([*CORPUS, *MARKDOWN_LINKS]), confirm=True)
    assert note.state == NoteState.PENDING
    assert problems_in(note.body_html) == []
    assert problems_in(str(note.body)) == []
