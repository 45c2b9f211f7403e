"""Page weight: what a browser transfers for the wall on a first visit and on a second one.

First visit: the HTML and every stylesheet, script, icon and image it names (and the ``url(...)``s in the
stylesheets), asked for with ``Accept-Encoding: gzip`` as a browser would; the bytes are the bodies as they came
over the wire (compressed when the server compressed them). Second visit: the HTML again; each asset the first
answer let the browser keep (``max-age`` without ``no-cache``/``no-store``) costs nothing; any other is asked for
again with ``If-None-Match`` / ``If-Modified-Since`` — a 304 costs its (empty) body, a 200 the whole body again.
Any resource on another host is counted (it must be none: everything is served by Frontline itself).
"""

from __future__ import annotations

import http.client
import re
from urllib.parse import urljoin, urlsplit

ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"[^>]*>', re.IGNORECASE)
CSS_URL = re.compile(r'url\(\s*["\']?([^"\')]+)["\']?\s*\)')
SKIP_LINK = re.compile(r'rel="(?:canonical|alternate|manifest)"')


def _fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _decoded(headers: dict[str, str], body: bytes) -> str:
    if headers.get("content-encoding") == "gzip":
        import gzip

        body = gzip.decompress(body)
    return body.decode("utf-8", "replace")


def _assets(page_path: str, html: str) -> list[str]:
    found = []
    for match in ASSET.finditer(html):
        if SKIP_LINK.search(match.group(0)):
            continue
        found.append(urljoin(page_path, match.group(1).replace("&amp;", "&")))
    return list(dict.fromkeys(found))


def _keeps(headers: dict[str, str]) -> bool:
    cache = headers.get("cache-control", "").lower()
    return "max-age" in cache and "no-cache" not in cache and "no-store" not in cache and "max-age=0" not in cache


def page_weight(port: int, cookie: str, path: str = "/thanks") -> dict:
    base = {"Cookie": cookie, "Accept-Encoding": "gzip"}
    status, headers, body = _fetch(port, path, base)
    resources = [{"path": path, "status": status, "bytes": len(body), "encoding": headers.get("content-encoding"),
                  "cache_control": headers.get("cache-control")}]
    answers = {}
    pending, other_hosts = _assets(path, _decoded(headers, body)), 0
    while pending:
        url = pending.pop(0)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            other_hosts += 1
            continue
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if target in answers:
            continue
        status, asset_headers, asset_body = _fetch(port, target, base)
        answers[target] = asset_headers
        resources.append({"path": target, "status": status, "bytes": len(asset_body),
                          "encoding": asset_headers.get("content-encoding"),
                          "cache_control": asset_headers.get("cache-control")})
        if "css" in asset_headers.get("content-type", ""):
            pending += [urljoin(target, u) for u in CSS_URL.findall(_decoded(asset_headers, asset_body))
                        if not u.startswith("data:")]
    second = [resources[0]]  # the HTML is always asked for again
    for target, asset_headers in answers.items():
        if _keeps(asset_headers):
            continue
        conditional = dict(base)
        if "etag" in asset_headers:
            conditional["If-None-Match"] = asset_headers["etag"]
        if "last-modified" in asset_headers:
            conditional["If-Modified-Since"] = asset_headers["last-modified"]
        status, _, asset_body = _fetch(port, target, conditional)
        second.append({"path": target, "status": status, "bytes": len(asset_body)})
    return {"path": path, "other_hosts": other_hosts,
            "first": {"requests": len(resources), "bytes": sum(r["bytes"] for r in resources), "resources": resources},
            "second": {"requests": len(second), "bytes": sum(r["bytes"] for r in second), "resources": second}}
