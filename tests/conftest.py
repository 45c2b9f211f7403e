"""Shared fixtures: the app on a real database, per-test rollback, signed-in clients, and a live server for
Playwright driving Debian's Chromium."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db, limiter
from tests.databases import fresh_database_url, worker_name

CHROMIUM = "/usr/bin/chromium"
# Cheap argon2 in tests (production keeps argon2-cffi's defaults).
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_test_app(database_url: str, *, run_migrations: bool = True, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "ARGON2_PARAMS": FAST_ARGON2,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        **overrides,
    }
    app = create_app(config)
    if run_migrations:
        with app.app_context():
            upgrade()
    return app


class CSRFClient(FlaskClient):
    """A test client that sends a real CSRF token with every POST, fetched from a rendered page.

    Pass ``csrf=False`` to send none (the CSRF tests do).
    """

    def csrf_token(self) -> str:
        self._fresh_g()
        page = super().open("/__csrf-token-please__", method="GET").get_data(as_text=True)  # any page has one
        match = CSRF_INPUT.search(page)
        assert match, "no CSRF token on the 404 page"
        return match.group(1)

    def _fresh_g(self) -> None:
        """Under the app_ctx fixture every request reuses the test's app context and its ``g``, where Flask-Login,
        Flask-WTF and Flask-Babel cache the signed-in person, the CSRF token and the locale. A fresh ``g`` per
        request (as in production) keeps one client's person or token from leaking into the next request."""
        app_ctx = _cv_app.get(None)
        if app_ctx is not None and app_ctx.app is self.application:
            app_ctx.g = self.application.app_ctx_globals_class()

    def open(self, *args, csrf: bool = True, **kwargs):
        method = kwargs.get("method", "GET").upper()
        if csrf and method in {"POST", "PUT", "PATCH", "DELETE"}:
            data = kwargs.get("data")
            if isinstance(data, dict) and "csrf_token" not in data:
                kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
            elif data is None and "json" not in kwargs:
                kwargs["data"] = {"csrf_token": self.csrf_token()}
        self._fresh_g()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory) -> Flask:
    url = fresh_database_url(f"frontline_test_{worker_name()}", tmp_path_factory.mktemp("db"))
    application = make_test_app(url)
    application.test_client_class = CSRFClient
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _isolated_database(request, app) -> Iterator[None]:
    """Each test runs inside a transaction that is rolled back afterwards (TESTING.md recipe).

    Browser and real-concurrency tests use committed data in databases of their own, so they opt out.
    """
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("committed"):
        yield
        return
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
        try:
            yield
        finally:
            db.session.remove()
            if outer.is_active:
                outer.rollback()
            connection.close()
            engines[None] = engine
            limiter.reset()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


def sign_in(client: FlaskClient, user) -> FlaskClient:
    """Put ``user`` in the client's session, as a completed sign-in would (the sign-in form has its own tests)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.fixture
def as_user(app):
    """``as_user(user)`` → a test client signed in as that person."""

    def make(user) -> CSRFClient:
        return sign_in(app.test_client(), user)

    return make


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counter: …`` then ``counter.count``."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


# --- browser tests -------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def live_app(tmp_path_factory) -> Flask:
    url = fresh_database_url(f"frontline_browser_{worker_name()}", tmp_path_factory.mktemp("browserdb"))
    application = make_test_app(url, TESTING=False)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }
