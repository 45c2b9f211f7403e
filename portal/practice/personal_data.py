"""The personal-data guard: find what looks like a patient's or customer's identifier in what someone wrote.

It looks for NHS numbers (ten digits, with or without spaces, that pass the modulus-11 check), National Insurance
numbers, UK personal phone numbers (mobiles and landlines: 07, 01, 02 — not the 03, 0800 and 0808 service numbers
that notes rightly quote), email addresses, postcodes and dates of birth (a date next to "born", "DOB" or "date of
birth", or a full date more than ten years ago). It warns and flags; it never changes what was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

KINDS = {
    "nhs_number": _l("an NHS number"),
    "ni_number": _l("a National Insurance number"),
    "phone": _l("a phone number"),
    "email": _l("an email address"),
    "postcode": _l("a postcode"),
    "date_of_birth": _l("a date of birth"),
}

_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
# Two prefix letters (not D, F, I, Q, U, V; second not O; not the unused BG, GB, KN, NK, NT, TN, ZZ), six digits
# (spaced in pairs or not), a suffix A–D.
_NI = re.compile(r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
                 re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)([127])(?:[\s\-().]{0,2}\d){8,9}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
           "september|october|november|december")
_NUMERIC_DATE = r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
_WORDY_DATE = rf"\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS})\.?,? (?:\d{{4}}|\d{{2}})"
_DATE = re.compile(rf"(?<!\d)(?:{_NUMERIC_DATE}|{_WORDY_DATE})(?!\d)", re.IGNORECASE)
_BIRTH_WORDS = re.compile(r"\b(?:d\.?o\.?b\.?|date of birth|born|birthday|birth date)\b", re.IGNORECASE)
_FULL_YEAR = re.compile(r"(\d{4})\s*$")


@dataclass(frozen=True)
class Finding:
    field: str
    kind: str
    start: int
    end: int
    text: str

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    def as_dict(self) -> dict:
        return {"field": self.field, "kind": self.kind, "start": self.start, "end": self.end, "text": self.text}


def nhs_number_is_valid(digits: str) -> bool:
    """The modulus-11 check: weights 10 down to 2 on the first nine digits; 11 minus the remainder is the tenth
    (11 counts as 0; 10 means no valid number)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str):
    for match in _NHS.finditer(text):
        if nhs_number_is_valid("".join(match.groups())):
            yield "nhs_number", match.start(), match.end()


def _simple(kind: str, pattern: re.Pattern):
    def find(text: str):
        for match in pattern.finditer(text):
            yield kind, match.start(), match.end()
    return find


def _dates_of_birth(text: str, *, today: date):
    for match in _DATE.finditer(text):
        before = text[max(0, match.start() - 40):match.start()]
        year = _FULL_YEAR.search(match.group())
        long_ago = year is not None and 1900 <= int(year.group(1)) <= today.year - 10
        if _BIRTH_WORDS.search(before) or long_ago:
            yield "date_of_birth", match.start(), match.end()


def scan_text(field: str, text: str, *, today: date | None = None) -> list[Finding]:
    """Every finding in one field, in order, without overlaps (the first kind to claim a stretch keeps it)."""
    today = today or date.today()
    found: list[tuple[str, int, int]] = []
    finders = [_nhs_numbers, _simple("ni_number", _NI), _simple("email", _EMAIL), _simple("phone", _PHONE),
               _simple("postcode", _POSTCODE), lambda t: _dates_of_birth(t, today=today)]
    for finder in finders:
        for kind, start, end in finder(text):
            if not any(start < e and s < end for _, s, e in found):
                found.append((kind, start, end))
    found.sort(key=lambda item: item[1])
    return [Finding(field=field, kind=kind, start=start, end=end, text=text[start:end]) for kind, start, end in found]


def scan(fields: dict[str, str], *, today: date | None = None) -> list[Finding]:
    """Findings in every field (``{"title": …, "body_source": …}``)."""
    return [finding for name, value in fields.items() for finding in scan_text(name, value or "", today=today)]


def highlight(text: str, findings: list[Finding] | list[dict]) -> Markup:
    """``text`` escaped, with each finding wrapped in <mark> (nothing of the text itself is trusted)."""
    spans = sorted(((f["start"], f["end"]) if isinstance(f, dict) else (f.start, f.end)) for f in findings)
    parts: list[str] = []
    position = 0
    for start, end in spans:
        if start < position or end > len(text):
            continue
        parts.append(str(escape(text[position:start])))
        parts.append(f'<mark class="personal-data">{escape(text[start:end])}</mark>')
        position = end
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))  # noqa: S704 — every piece of the text is escaped above
