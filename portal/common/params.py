"""Values from URLs and forms, parsed and bounded before they reach a query.

Every id from a query string or form goes through ``parse_id`` (route ids use the bounded ``int`` converter
registered in create_app). A NUL byte anywhere in the query string or form is refused with a 400 before any view
runs: PostgreSQL cannot store it and no person types one.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """A database id, or None for anything else: "²", "-1", "1e3", " 7 ", 10**20 and "" are all None."""
    text = str(value if value is not None else "")
    if not text.isascii() or not text.isdecimal():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The valid ids among ``values``, each once, in the order given."""
    seen: dict[int, None] = {}
    for value in values:
        if (number := parse_id(value)) is not None:
            seen.setdefault(number)
    return list(seen)


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` in a route: ASCII digits up to a 64-bit id; anything bigger is a 404, not an overflow deep in
    the database driver."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def refuse_nul_bytes() -> None:
    """before_request hook."""
    sources = [request.args, request.form] if request.method == "POST" else [request.args]
    for source in sources:
        for key, values in source.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                abort(400)
