"""What someone typed in the search box, read once, the way PostgreSQL's ``websearch_to_tsquery`` reads it, so that
both databases find the same things:

- words: all of them must be there (``crisis team``);
- ``"a phrase"``: those words next to each other;
- ``-word`` or ``-"a phrase"``: must not be there;
- ``or`` between words: either side will do (``bereavement or grief``), binding more loosely than the rest, as in
  PostgreSQL (``a b or c`` is "a and b, or c").

While someone types, the last word is unfinished: it also matches as the start of a longer word ("cris" finds
"crisis"). A search needs at least one word to look for in each alternative; common English words alone ("the",
"and") are not enough — PostgreSQL drops them, and SQLite is told to do the same. Only letters and digits reach
either database's query language, each part quoted (SQLite) or passed as plain words (PostgreSQL), so nothing anyone
types can be read as syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MAX_LENGTH = 200
_TOKEN = re.compile(r"[^\W_]+")
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
# PostgreSQL's "english" stop words (tsearch_data/english.stop), dropped when a word stands alone.
_ENGLISH_STOP = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it
its itself they them their theirs themselves what which who whom this that these those am is are was were be been
being have has had having do does did doing a an the and but if or because as until while of at by for with about
against between into through during before after above below to from up down in out on off over under again further
then once here there when where why how all any both each few more most other some such no nor not only own same so
than too very s t can will just don should now"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split())


@dataclass(frozen=True)
class Term:
    tokens: tuple[str, ...]  # letters and digits only; more than one is a phrase
    negated: bool = False
    prefix: bool = False  # the last token may be the start of a longer word


@dataclass(frozen=True)
class Words:
    text: str  # what was typed, tidied: the box shows this again
    alternatives: tuple[tuple[Term, ...], ...]  # any alternative will do; each has a term that must be there

    @property
    def empty(self) -> bool:
        return not self.alternatives


def tidy(raw: str | None) -> str:
    """Control, formatting and unassigned characters become spaces, runs of spaces one space; at most MAX_LENGTH
    characters."""
    return " ".join(_visible(raw).split())[:MAX_LENGTH]


def _visible(raw: str | None) -> str:
    return "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in (raw or ""))


def parse(raw: str | None) -> Words:
    text = tidy(raw)
    visible = _visible(raw)
    still_typing = bool(text) and visible.rstrip() == visible and not text.endswith('"')
    alternatives: list[list[Term]] = [[]]
    for piece, negated, quoted in _pieces(text):
        if piece.lower() == "or" and not quoted and not negated:
            alternatives.append([])
            continue
        tokens = _tokens(piece)
        if tokens and not all(token in STOP_WORDS for token in tokens):
            alternatives[-1].append(Term(tokens, negated=negated))
    if still_typing and alternatives[-1]:
        alternatives[-1] = _last_as_prefix(alternatives[-1], text)
    return Words(text=text, alternatives=tuple(tuple(terms) for terms in alternatives
                                               if any(not term.negated for term in terms)))


def _tokens(piece: str) -> tuple[str, ...]:
    """Lower case first, then letters and digits: lowering can add a combining mark ("İ" is "i" and a dot above),
    which is not a letter and must not reach either database."""
    return tuple(_TOKEN.findall(piece.lower()))


def _pieces(text: str) -> Iterator[tuple[str, bool, bool]]:
    """(piece, negated, quoted) in order: phrases in double quotes, and the runs of other characters between
    spaces. A quote left open runs to the end."""
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        negated = text[position] == "-" and position + 1 < len(text) and not text[position + 1].isspace()
        position += negated
        if text[position] == '"':
            end = text.find('"', position + 1)
            end = len(text) if end < 0 else end
            yield text[position + 1:end], negated, True
            position = end + 1
            continue
        end = position
        while end < len(text) and not text[end].isspace() and text[end] != '"':
            end += 1
        yield text[position:end], negated, False
        position = end


def _last_as_prefix(terms: list[Term], text: str) -> list[Term]:
    """The unfinished last word, when it is a plain word (not excluded, not in quotes) of two letters or more."""
    last = terms[-1]
    word = text.rsplit(" ", 1)[-1]
    if last.negated or word.startswith(("-", '"')) or len(last.tokens[-1]) < 2:
        return terms
    if _tokens(word) != last.tokens:
        return terms
    return [*terms[:-1], Term(last.tokens, prefix=True)]
