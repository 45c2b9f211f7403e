"""Fill the Welsh catalogue from the dictionaries in ``cy_*.py`` beside this file
(``python portal/translations/welsh/fill_welsh.py``).

Each module defines ``WELSH``: English msgid → Welsh. A plural entry's key is ``(singular, plural)`` and its value
five forms in the order the catalogue's Plural-Forms header numbers them: 0 other (0, 4, 5, 7 …), 1 one, 2 two,
3 few (3), 4 many (6). A filled entry loses its fuzzy flag; an unfilled fuzzy guess is emptied. Keys the catalogue
does not have are listed, as are translations whose %(placeholders)s differ from the English, which are not
written. Run ``make translations`` afterwards to compile the .mo.
"""

import importlib.util
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
PO = HERE.parent / "cy/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sd]")


def dictionaries() -> dict:
    merged: dict = {}
    for path in sorted(HERE.glob("cy_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        merged.update(module.WELSH)
    return merged


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def fits(key, value) -> bool:
    if isinstance(key, tuple):
        allowed = placeholders(key[0]) | placeholders(key[1])
        return len(value) == 5 and all(placeholders(form) <= allowed for form in value)
    return placeholders(key) == placeholders(value)


def main() -> int:
    welsh = dictionaries()
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    used, misfits = set(), []
    for message in catalogue:
        if message.id and message.fuzzy and message.id not in welsh:
            # A fuzzy guess (another message's Welsh) is never shown and may not even compile: drop it.
            message.string = ("",) * catalogue.num_plurals if message.pluralizable else ""
            message.flags.discard("fuzzy")
            message.previous_id = []
        if not message.id or message.id not in welsh:
            continue
        value = welsh[message.id]
        if not fits(message.id, value):
            misfits.append(message.id)
            continue
        message.string = tuple(value) if message.pluralizable else value
        message.flags.discard("fuzzy")
        message.previous_id = []
        used.add(message.id)
    with PO.open("wb") as handle:
        write_po(handle, catalogue, width=76)
    for key in sorted(set(welsh) - used - set(misfits), key=str):
        print("not in the catalogue:", repr(key))
    for key in misfits:
        print("placeholders differ, not written:", repr(key))
    print(f"filled {len(used)} of {len(welsh)}")
    return 1 if misfits else 0


if __name__ == "__main__":
    sys.exit(main())
