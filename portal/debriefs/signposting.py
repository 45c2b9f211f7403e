"""The safety and support text HR writes (Markdown), rendered safely."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

DEFAULT_SIGNPOSTING = """\
**Call 999** if anyone's life is at risk or they are in immediate danger.

If a caller has told you they may harm themselves, follow your call-handling procedure and tell your team leader now.
Samaritans are there for anyone, any time, on **116 123**.

**Employee Assistance Programme**: free, confidential support 24 hours a day (example details until HR adds
yours: **0800 000 0000**).

You can also talk to your line manager, or contact Occupational Health.
"""

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
ALLOWED_TAGS = {"p", "strong", "em", "ul", "ol", "li", "a", "br", "h2", "h3"}


def render_signposting(text: str) -> Markup:
    """Markdown → HTML, then cleaned by nh3 so only a small set of tags (and http(s)/tel/mailto links) survive."""
    html = _markdown.render(text or DEFAULT_SIGNPOSTING)
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}},
                        url_schemes={"http", "https", "tel", "mailto"})
    return Markup(cleaned)  # noqa: S704 — nh3 has just removed everything but the allowed tags
