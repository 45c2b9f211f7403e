"""When the database is away or busy, people get a calm 503 that keeps what they typed — never a 500 — and Frontline
comes back by itself.

PostgreSQL is reached through a TCP proxy the test can cut, as a restart or a failover would. SQLite's "busy" is a
real second writer holding the database's write lock longer than the busy timeout.
"""

from __future__ import annotations

import contextlib
import gc
import socket
import sqlite3
import threading

import pytest
from sqlalchemy.engine import make_url

from portal.extensions import db
from tests.conftest import CSRFClient, make_test_app, sign_in
from tests.databases import fresh_database_url, worker_name
from tests.factories import UserFactory

pytestmark = pytest.mark.committed
NOTE = "The caller went quiet and I could hear traffic; I kept talking until the police arrived"


class TcpProxy:
    """Forwards a local port to PostgreSQL; ``cut()`` drops every connection and refuses new ones."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.port = _free_port()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> TcpProxy:
        listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        listener.settimeout(0.2)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            with self._lock:
                self._sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_calm_503(response, *, htmx: bool = False) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Frontline is busy or briefly unavailable" in html
    assert ("<html" in html) is not htmx
    return html


@pytest.mark.postgres_only  # the proxy stands between the app and its PostgreSQL server
def test_a_database_that_goes_away_gives_503s_then_frontline_recovers_without_a_restart(tmp_path):
    url = fresh_database_url(f"frontline_proxy_{worker_name()}", tmp_path)
    migrated = make_test_app(url)
    with migrated.app_context():
        person = UserFactory()
        db.session.flush()
        session_id = person.get_id()
        db.session.commit()
    with migrated.app_context():
        db.engine.dispose()
    parsed = make_url(url)
    proxy = TcpProxy(parsed.port or 5432).start()
    app = make_test_app(parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
                        run_migrations=False)
    app.test_client_class = CSRFClient
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
    try:
        assert client.get("/").status_code == 200
        token = client.csrf_token()
        proxy.cut()
        assert_calm_503(client.get("/"))
        assert_calm_503(client.get("/", headers={"HX-Request": "true"}), htmx=True)
        assert client.get("/healthz").status_code == 503
        page = assert_calm_503(client.post("/debriefs/new", data={"note": NOTE, "csrf_token": token}))
        assert NOTE in page  # what they typed is on the page, to copy
        proxy.start()
        assert client.get("/").status_code == 200
        assert client.get("/healthz").status_code == 200
    finally:
        with app.app_context():
            db.engine.dispose()  # before the proxy goes, so every pooled connection is closed properly
        proxy.cut()
        del migrated
        gc.collect()  # a connection left open would warn here, in this test, not in a later one


@pytest.mark.sqlite_only  # SQLite's single write lock; PostgreSQL has row locks
def test_a_write_that_waits_too_long_for_sqlite_is_told_to_try_again_with_its_text_kept(tmp_path):
    url = fresh_database_url(f"frontline_busy_{worker_name()}", tmp_path)
    app = make_test_app(url, SQLITE_BUSY_TIMEOUT_MS=200)
    app.test_client_class = CSRFClient
    with app.app_context():
        person = UserFactory()
        db.session.commit()
        client = sign_in(app.test_client(), person)
    form = {"note": NOTE, "urgency": "this_shift", "contact_method": "phone", "contact_detail": "ext 4417",
            "csrf_token": client.csrf_token()}
    other_writer = sqlite3.connect(make_url(url).database, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")
    try:
        page = assert_calm_503(client.post("/debriefs/new", data=form))
        assert NOTE in page
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    assert client.post("/debriefs/new", data=form).status_code == 303
    with app.app_context():
        db.engine.dispose()
