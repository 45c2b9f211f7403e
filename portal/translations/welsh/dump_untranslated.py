"""Print the Welsh catalogue's untranslated msgids whose first source location is under one of the given areas
(``python portal/translations/welsh/dump_untranslated.py recognition home``; with ``--anywhere``, any of its
locations), as Python literals ready to be keys of a dict."""

import sys
from pathlib import Path

from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[1] / "cy/LC_MESSAGES/messages.po"


def area_of(location: str) -> str:
    parts = location.split("/")
    return parts[1].removesuffix(".html").removesuffix(".py") if len(parts) > 1 else parts[0]


def main(areas: list[str]) -> None:
    with PO.open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        if not message.id:
            continue
        done = all(message.string) if message.pluralizable else bool(message.string)
        if done and not message.fuzzy:
            continue
        found_in = {area_of(location) for location, _ in message.locations}
        first = area_of(message.locations[0][0]) if message.locations else "?"
        if areas and not (first in areas or ("--anywhere" in areas and found_in & set(areas))):
            continue
        print(f"{message.id!r}: ,")


if __name__ == "__main__":
    main(sys.argv[1:])
