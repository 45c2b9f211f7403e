"""A word-level diff of two versions of a note, for moderators.

It compares the *Markdown source* (what people typed, not the HTML), split into words, spaces and punctuation, with
Python's difflib, and renders insertions as <ins> and deletions as <del>. Every token is HTML-escaped: nothing a
person wrote can become markup in the diff view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    html: Markup
    changed: bool


def word_diff(old: str, new: str) -> Markup:
    """``old`` → ``new`` as escaped text with <del>removed</del> and <ins>added</ins> words."""
    a, b = tokens(old), tokens(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(parts))  # noqa: S704 — every token is escaped above


def diff_fields(old: dict[str, str], new: dict[str, str], labels: dict[str, str]) -> list[FieldDiff]:
    """One diff per field that either version has, in the order of ``labels``."""
    diffs = []
    for name, label in labels.items():
        before, after = old.get(name) or "", new.get(name) or ""
        if before or after:
            diffs.append(FieldDiff(label=label, html=word_diff(before, after), changed=before != after))
    return diffs
