"""What every download that may open in a spreadsheet needs: cells that cannot run as formulas, and a file name
any browser and any server can carry.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel and LibreOffice as
a formula (OWASP "CSV injection"); a leading apostrophe keeps it as the text it is. Names of people in file names
may be Welsh (ŵ, ŷ) or contain quotes: the header carries them RFC 5987-encoded, with a plain ASCII fallback.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, made inert if it is text a spreadsheet would run; numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_download(response: Response, filename: str) -> Response:
    """Mark ``response`` as a file to save as ``filename`` (any characters)."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode().replace('"', "") or "download"
    options = {"filename": plain}
    if plain != filename:  # browsers prefer filename*, which keeps the real name
        options["filename*"] = "UTF-8''" + quote(filename, safe="")
    response.headers.set("Content-Disposition", "attachment", **options)
    return response
