"""The one way text people write becomes HTML: Markdown (markdown-it-py, raw HTML off), then cleaned by nh3 with an
allow-list, so only a small set of tags and http(s)/mailto/tel links can ever reach a page or an email.

Store what people typed (the Markdown) and, where it is shown often, the cleaned HTML beside it; never mark any
other user text as safe.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

# Enough for notes and guidance: paragraphs, emphasis, lists, links, headings below the page's own, quotes, code,
# simple tables. No images (they would load from other hosts), no raw HTML, no styles, no scripts.
ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "br", "h2", "h3", "h4", "blockquote", "code", "pre",
                "hr", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean_html(html: str) -> str:
    """HTML from anywhere, reduced to the allowed tags and attributes; links get rel="noopener noreferrer"."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


def render_markdown(text: str | None) -> Markup:
    """Markdown → safe HTML for a template."""
    return Markup(clean_html(_markdown.render(text or "")))  # noqa: S704 — cleaned by nh3 just above
