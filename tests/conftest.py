"""Shared fixtures: the app on a real database, per-test rollback, signed-in clients, and a live server for
Playwright driving Debian's Chromium."""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Iterator

import pytest
from flask import Flask, has_app_context
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from playwright.sync_api import expect
from sqlalchemy import event
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db, limiter
from tests.databases import fresh_database_url, on_postgres, worker_name

CHROMIUM = "/usr/bin/chromium"
# Cheap argon2 in tests (production keeps argon2-cffi's defaults).
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


# Tests run with `--dist loadgroup`: each module is one group (so its module-wide fixtures are built once, as with
# `--dist loadfile`), except the generated route tests, which are many and independent and spread over all workers.
SPREAD_MODULES = {"tests/common/test_routes.py"}


def pytest_collection_modifyitems(config, items):
    # A test of one database's own guarantee runs in that database's pass of `make test` and is deselected (not
    # skipped) in the other: a skip in CI means something is missing, and CI fails on that instead.
    other = "sqlite_only" if on_postgres() else "postgres_only"
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(other)]
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        if path not in SPREAD_MODULES:
            item.add_marker(pytest.mark.xdist_group(path))


def make_test_app(database_url: str, *, run_migrations: bool = True, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "ARGON2_PARAMS": FAST_ARGON2,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        "MAIL_FOLDER": tempfile.mkdtemp(prefix="frontline-mail-"),
        **overrides,
    }
    app = create_app(config)
    if run_migrations:
        with app.app_context():
            upgrade(revision="heads")
    return app


class CSRFClient(FlaskClient):
    """A test client that sends a real CSRF token with every POST, fetched from a rendered page.

    Pass ``csrf=False`` to send none (the CSRF tests do).
    """

    def csrf_token(self) -> str:
        self._fresh_g()
        # The sign-in page has a form, and sends a signed-in person to a page with forms too.
        page = super().open("/login", method="GET", follow_redirects=True).get_data(as_text=True)
        match = CSRF_INPUT.search(page)
        assert match, "no CSRF token on the sign-in page or where it led"
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


@pytest.fixture(scope="session")
def html_checker():
    """The Nu HTML Checker as a local service for this test process (tests/html_checker.py)."""
    from tests.html_checker import HtmlChecker

    checker = HtmlChecker()
    yield checker
    checker.stop()


@pytest.fixture
def job_handlers(app):
    """``job_handlers({"tests.kind": fn})`` adds handlers for test-only job kinds to the app, for this test only."""
    from portal.common.features import registry

    added: list[str] = []

    def add(handlers: dict) -> None:
        registry(app).job_handlers.update(handlers)
        added.extend(handlers)

    yield add
    for kind in added:
        registry(app).job_handlers.pop(kind, None)


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
        if has_app_context():
            # A request in production starts with an empty session; a test sharing its session with the request
            # must not have the request find rows already loaded (a count would then depend on the test's steps).
            db.session.flush()
            db.session.expire_all()
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


# --- browser tests -------------------------------------------------------------------------------------------

# An assertion waits for what it expects. Five seconds (Playwright's default) is short for a 2-core CI machine
# running two workers, each with its own Chromium and its own server: a slow page must not read as a failure.
expect.set_options(timeout=15_000)

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


@pytest.fixture(autouse=True)
def _close_browser_contexts(request) -> Iterator[None]:
    """Tests open contexts with ``browser.new_context``; close each when its test ends, or every worker's browser
    keeps all their pages (and a renderer process each) until the run ends."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()
