"""bench/requests.lua under a real wrk (Debian's `wrk`, installed by `make bench`; skipped where it is missing,
since the test suite does not need it): every non-2xx answer counts as failed, and so does an htmx POST answered
without the header it should carry; POSTs carry the CSRF token, and each send a fresh idempotency key."""

from __future__ import annotations

import re
import shutil
import threading
from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from bench.run import wrk
from bench.scenarios import Scenario
from tests.databases import IN_CI

pytestmark = [pytest.mark.committed,
              pytest.mark.skipif(shutil.which("wrk") is None and not IN_CI, reason="wrk is not installed (make wrk)")]
KEY = re.compile(r"^bench-\d{2}-\d{8}-\d{10}$")


class Server:
    def __init__(self):
        self.keys: list[str] = []

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path == "/missing":
            return Response("gone", status=404)(environ, start_response)
        if request.method == "POST":
            form = parse_qs(request.get_data(as_text=True))
            key = form.get("idempotency_key", [""])[0]
            self.keys.append(key)
            good = (request.headers.get("X-CSRFToken") == "token" and request.headers.get("HX-Request") == "true"
                    and "session=abc" in request.headers.get("Cookie", "") and KEY.match(key))
            headers = {"HX-Location": "/done"} if good else {}
            return Response("", headers=headers)(environ, start_response)
        return Response("ok")(environ, start_response)


@pytest.fixture(scope="module")
def server():
    app = Server()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield app, http.server_port
    http.shutdown()


def drive(port: int, scenario: Scenario, tmp_path) -> dict:
    return wrk(port, scenario, SimpleNamespace(threads=2, connections=2, duration=1), tmp_path)


def test_all_2xx_is_not_failed(server, tmp_path):
    _, port = server
    result = drive(port, Scenario("ok", "OK", [("GET", "/ok", "session=abc", "token", "")]), tmp_path)
    assert result["requests"] > 10 and result["failed"] == 0 and result["p50_ms"] > 0


def test_any_non_2xx_fails_the_scenario(server, tmp_path):
    _, port = server
    lines = [("GET", "/ok", "session=abc", "token", "")] * 5 + [("GET", "/missing", "session=abc", "token", "")]
    result = drive(port, Scenario("mixed", "Mixed", lines), tmp_path)
    assert result["failed"] > 0 and result["first_failure"].startswith("404 gone")


def test_posts_carry_the_token_and_fresh_keys_and_need_their_header(server, tmp_path):
    app, port = server
    body = "kind=x&idempotency_key={{key}}"
    good = drive(port, Scenario("post", "Post", [("POST", "/act", "session=abc", "token", body)],
                                expect_header="HX-Location"), tmp_path)
    assert good["requests"] > 10 and good["failed"] == 0
    assert len(set(app.keys)) == len(app.keys) and all(KEY.match(key) for key in app.keys)
    refused = drive(port, Scenario("post", "Post", [("POST", "/act", "session=abc", "wrong", body)],
                                   expect_header="HX-Location"), tmp_path)
    assert refused["requests"] > 0 and refused["failed"] >= refused["requests"] - 2  # all but any cut off at the end
