"""Compression and fingerprinted static files: pages and assets compressed when asked, a fingerprinted asset cached
for a year, a changed file a changed URL, and the plain URL still served."""

from __future__ import annotations

import gzip
import re
import uuid
from pathlib import Path

from flask import url_for

from tests.factories import UserFactory

STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"?]+)\?v=([0-9a-f]{12})"')


def test_html_is_gzipped_when_asked(client, app_ctx):
    response = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    page = gzip.decompress(response.get_data()).decode()
    assert "<form" in page


def test_html_is_plain_when_not_asked(client, app_ctx):
    response = client.get("/login")
    assert "Content-Encoding" not in response.headers
    assert "<form" in response.get_data(as_text=True)


def test_signed_in_page_is_compressed_and_keeps_the_csp(as_user, app_ctx):
    response = as_user(UserFactory()).get("/", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] in {"br", "gzip"}
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_every_static_url_on_a_page_is_fingerprinted(client, app_ctx):
    page = client.get("/login").get_data(as_text=True)
    urls = STATIC_URL.findall(page)
    assert {path for path, _ in urls} >= {"/static/css/portal.css", "/static/vendor/htmx.min.js"}
    assert "/static/vendor/htmx.min.js\"" not in page


def test_a_fingerprinted_asset_is_immutable_for_a_year_and_compressed(client, app):
    with app.test_request_context():
        url = url_for("static", filename="vendor/htmx.min.js")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    assert response.headers["Content-Encoding"] == "gzip"
    plain = (Path(app.static_folder) / "vendor/htmx.min.js").read_bytes()
    assert gzip.decompress(response.get_data()) == plain
    assert response.headers["Content-Security-Policy"]


def test_the_plain_url_and_an_old_fingerprint_still_work_but_are_revalidated(client):
    for url in ("/static/css/portal.css", "/static/css/portal.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        assert "no-cache" in response.headers.get("Cache-Control", "")
        assert response.headers["ETag"]


def test_a_changed_file_gets_a_changed_url(app):
    name = f"test-{uuid.uuid4().hex}.css"
    path = Path(app.static_folder) / name
    try:
        path.write_text("body { color: #212b32; }")
        with app.test_request_context():
            first = url_for("static", filename=name)
        path.write_text("body { color: #4c6272; }")
        with app.test_request_context():
            second = url_for("static", filename=name)
        assert first != second
        assert first.startswith(f"/static/{name}?v=") and second.startswith(f"/static/{name}?v=")
        with app.test_client() as client:
            assert "immutable" in client.get(second).headers["Cache-Control"]
            assert "immutable" not in client.get(first).headers["Cache-Control"]
    finally:
        path.unlink(missing_ok=True)


def test_a_missing_static_file_is_404(client):
    assert client.get("/static/no-such-file.css").status_code == 404
    assert client.get("/static/../portal/__init__.py").status_code == 404
