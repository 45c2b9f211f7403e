"""Highlighted words from the database, made safe: the only way a search snippet becomes HTML.

The engines mark what matched with a pair of marker strings instead of HTML, because their output is the stored text
as people typed it: ``<script>`` in a thank-you comes back as ``<script>``. Here every character is escaped and only
then are the markers turned into ``<mark>`` … ``</mark>``, always balanced.

The markers are made afresh for each search (``Markers.new()``: private-use characters around a random nonce), so
nothing anyone typed into their own text can be taken for one: a thank-you holding the private-use characters, or
anything else, comes back as the characters it holds, never as a highlight.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Markers:
    start: str
    end: str

    @classmethod
    def new(cls) -> Markers:
        nonce = secrets.token_hex(8)
        return cls(f"\ue000{nonce}\ue001", f"\ue001{nonce}\ue000")

    def marked(self, text: str | None) -> Markup:
        """``text`` escaped, with what lies between this search's markers in ``<mark>``."""
        parts: list[str] = []
        is_open = False
        for part in re.split(f"({re.escape(self.start)}|{re.escape(self.end)})", text or ""):
            if part == self.start:
                if not is_open:
                    parts.append("<mark>")
                is_open = True
            elif part == self.end:
                if is_open:
                    parts.append("</mark>")
                is_open = False
            elif part:
                parts.append(str(escape(part)))
        if is_open:
            parts.append("</mark>")
        return Markup("".join(parts))  # noqa: S704 — every piece of text above was escaped


def has_marks(html: Markup | None) -> bool:
    """Whether a marked text has a highlight (text people typed is escaped, so "<mark>" in it is ours)."""
    return "<mark>" in str(html or "")
