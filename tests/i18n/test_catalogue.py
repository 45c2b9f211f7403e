"""The Welsh catalogue is complete where staff work, honest elsewhere, and in step with the source.

* The committed ``messages.pot`` holds exactly the msgids a fresh ``pybabel extract`` finds (``make extract-messages``
  rewrites it), and the Welsh ``.po`` holds the same msgids (``pybabel update`` has been run).
* Every Welsh translation keeps the English's ``%(placeholders)s`` and HTML tags: a missing placeholder loses
  information, an unknown one raises KeyError at run time.
* The compiled ``.mo`` says what the ``.po`` says (``make translations`` has been run since the last edit).
* The lead's rule: **no string used on the staff pages is untranslated** (the layout, home, the wall and thank-yous,
  nominations, bookings, de-briefs, notifications, sign-in and errors: any msgid with a source location under
  ``STAFF_SOURCES``). Other untranslated strings (admin, HR, insight …) must be listed in
  ``tests/i18n/known_untranslated.txt``, and a listed string that now has a translation must be removed from it, so
  the list only shrinks. Failures say how many Welsh strings are untranslated.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "portal" / "translations"
POT = TRANSLATIONS / "messages.pot"
WELSH_PO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
WELSH_MO = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.mo"
KNOWN_UNTRANSLATED = Path(__file__).with_name("known_untranslated.txt")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")

STAFF_SOURCES = (
    "templates/base.html", "templates/home/", "templates/recognition/", "templates/awards/", "templates/support/",
    "templates/debriefs/", "templates/notifications/", "templates/auth/", "templates/errors/", "templates/macros/",
    "templates/org/", "templates/search/_header_box.html",
    "portal/home/", "portal/recognition/", "portal/awards/", "portal/support/", "portal/debriefs/",
    "portal/notifications/", "portal/auth/", "portal/common/", "portal/org/",
)


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _full_id(message) -> str | tuple:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id


def _translated(message) -> bool:
    if message.fuzzy:
        return False
    return all(message.string) if message.pluralizable else bool(message.string)


def _strings(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def _escape(msgid: str) -> str:
    return msgid.replace("\\", "\\\\").replace("\n", "\\n")


def test_the_committed_template_matches_the_source(tmp_path):
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(fresh), "."],
                   cwd=ROOT, check=True, capture_output=True)
    found = {_key(m) for m in _read(fresh) if m.id}
    committed = {_key(m) for m in _read(POT) if m.id}
    missing, stale = sorted(found - committed), sorted(committed - found)
    assert not missing and not stale, (
        f"messages.pot is out of date: run `make extract-messages`.\nIn the source but not the .pot: {missing[:20]}"
        f"\nIn the .pot but no longer in the source: {stale[:20]}")


def test_the_welsh_catalogue_has_the_templates_msgids():
    expected = {_key(m) for m in _read(POT) if m.id}
    welsh = {_key(m) for m in _read(WELSH_PO) if m.id}
    assert welsh == expected, ("the Welsh .po is not updated from messages.pot: run `make extract-messages`; "
                               f"differences: {sorted(welsh ^ expected)[:20]}")


def test_every_translation_keeps_the_placeholders_and_tags():
    problems = []
    for message in _read(WELSH_PO):
        if not message.id or not _translated(message):
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        allowed = set().union(*(PLACEHOLDER.findall(source) for source in sources))
        tags = sorted(TAG.findall(sources[0]))
        for index, text in enumerate(_strings(message)):
            found = set(PLACEHOLDER.findall(text))
            # A plural form may leave out the number (Welsh says "one" without it); never add an unknown name.
            wrong = found - allowed if message.pluralizable else found ^ allowed
            if wrong or sorted(TAG.findall(text)) != tags:
                problems.append(f"{_key(message)!r} (form {index}): {text!r}")
    assert not problems, "These Welsh strings change the placeholders or HTML of the English:\n" + "\n".join(problems)


def test_the_compiled_welsh_catalogue_is_up_to_date():
    with WELSH_MO.open("rb") as handle:
        compiled = read_mo(handle)
    in_po = {_full_id(m): tuple(_strings(m)) for m in _read(WELSH_PO) if m.id and _translated(m)}
    # pybabel compile writes an untranslated plural entry as the English (form 0 singular, the rest plural).
    in_mo = {_full_id(m): tuple(_strings(m)) for m in compiled if m.id and all(_strings(m)) and not (
        m.pluralizable and _strings(m) == [m.id[0]] + [m.id[1]] * (len(_strings(m)) - 1))}
    assert in_mo == in_po, ("messages.mo is older than messages.po: run `make translations`; "
                            f"{len(set(in_po.items()) ^ set(in_mo.items()))} entries differ")


def _untranslated() -> tuple[list, int]:
    messages = [m for m in _read(WELSH_PO) if m.id]
    return [m for m in messages if not _translated(m)], len(messages)


def test_no_string_on_the_staff_pages_is_untranslated():
    untranslated, total = _untranslated()
    staff = sorted(_key(m) for m in untranslated
                   if any(location.startswith(STAFF_SOURCES) for location, _ in m.locations))
    assert not staff, (f"{len(untranslated)} of {total} Welsh strings are untranslated; {len(staff)} of them are on "
                       "staff pages, which must be translated (portal/translations/welsh/fill_welsh.py):\n"
                       + "\n".join(staff))


def test_the_known_gaps_only_shrink():
    untranslated, total = _untranslated()
    gaps = {_escape(_key(m)) for m in untranslated}
    listed = {line for line in KNOWN_UNTRANSLATED.read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")}
    new_gaps, now_translated = sorted(gaps - listed), sorted(listed - gaps)
    assert not new_gaps, (f"{len(gaps)} of {total} Welsh strings are untranslated. These are new and not in "
                          f"{KNOWN_UNTRANSLATED.name}: translate them rather than list them:\n" + "\n".join(new_gaps))
    assert not now_translated, (f"{len(gaps)} of {total} Welsh strings are untranslated. These are translated (or "
                                f"gone) now: remove them from {KNOWN_UNTRANSLATED.name}:\n" + "\n".join(now_translated))
