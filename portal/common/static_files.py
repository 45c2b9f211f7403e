"""Static files: fingerprinted URLs cached for a year, and compression (Flask-Compress) for pages and assets.

``url_for('static', filename='css/portal.css')`` gives ``/static/css/portal.css?v=<first 12 hex of its sha256>``.
A request carrying the file's current fingerprint is answered with ``Cache-Control: public, max-age=31536000,
immutable``: the browser never asks again, and a changed file has a changed URL. Any other request for the file
(no ``v``, or an old one) still gets the file, with ``no-cache`` so the browser revalidates with its ETag.

The fingerprint is kept per (path, size, modification time), so it costs one ``stat`` per URL built and follows an
edited file at once, in development as in production.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request

YEAR_SECONDS = 31_536_000
FINGERPRINT_LENGTH = 12

# What Flask-Compress compresses: pages, fragments and the text assets. Downloads (CSV, spreadsheets, calendars)
# and streamed responses are left alone.
COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                    "image/svg+xml"]

_fingerprints: dict[str, tuple[tuple[int, int], str]] = {}


def fingerprint(static_folder: str, filename: str) -> str | None:
    """The first hex digits of the file's sha256, or None when there is no such file in ``static_folder``."""
    path = Path(static_folder, filename)
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    if not path.is_file():
        return None
    key, known = str(path), _fingerprints.get(str(path))
    version = (stat.st_size, stat.st_mtime_ns)
    if known is not None and known[0] == version:
        return known[1]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:FINGERPRINT_LENGTH]
    _fingerprints[key] = (version, digest)
    return digest


def add_fingerprint(endpoint: str, values: dict) -> None:
    """``url_defaults`` hook: a static URL carries its file's fingerprint as ``v``."""
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    digest = fingerprint(current_app.static_folder, values["filename"])
    if digest is not None:
        values["v"] = digest


def serve_static(filename: str) -> Response:
    """Flask's own static file response (conditional, with an ETag), cached for a year when the URL carries the
    file's current fingerprint; read into memory so Flask-Compress can compress it like a page."""
    response = current_app.send_static_file(filename)
    wanted = request.args.get("v")
    if wanted and response.status_code == 200 and wanted == fingerprint(current_app.static_folder, filename):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR_SECONDS
        response.cache_control.immutable = True
    if response.direct_passthrough:  # the open file: read it now (and close it) rather than when the body is sent
        stream = response.response
        try:
            data = b"".join(stream)
        finally:
            stream.close()
        response.direct_passthrough = False
        response.set_data(data)
    return response


def register(app: Flask) -> None:
    from portal.extensions import compress

    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
    app.url_defaults(add_fingerprint)
    app.view_functions["static"] = serve_static
