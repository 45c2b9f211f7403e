"""Frontline: recognition and peer support for front-line public service staff."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Every feature package, in the order its links appear. Each has ``register(app)``; adding a feature is adding
# its name here.
FEATURES = [
    "auth",
    "org",
    "home",
    "notifications",
    "recognition",
    "awards",
    "support",
    "mentoring",
    "debriefs",
    "practice",
    "search",
    "hr",
    "insight",
    "privacy",
    "admin",
    "demo",
    "benchmarks",
]


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, request hooks, features, error handlers, template helpers."""
    from portal.common.transaction import TransactionalFlask

    app = TransactionalFlask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    register_url_converters(app)
    register_extensions(app)
    register_request_hooks(app)
    register_features(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    if app.config.get("PROXY_FIX_X_FOR"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]), x_proto=1)
    return app


def register_url_converters(app: Flask) -> None:
    from portal.common.params import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter


def register_extensions(app: Flask) -> None:
    from portal.auth.sessions import configure_login_manager
    from portal.common import static_files
    from portal.common.i18n import select_locale
    from portal.db import configure_engine_events
    from portal.extensions import babel, csrf, db, limiter, migrate

    static_files.register(app)  # first: its compression runs after every other response hook
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(PROJECT_ROOT / "portal" / "translations"))
    configure_login_manager(app)
    with app.app_context():
        configure_engine_events(db.engine, busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])


def register_request_hooks(app: Flask) -> None:
    from portal.common import transaction
    from portal.common.access import enforce_access
    from portal.common.htmx import add_vary_header
    from portal.common.params import refuse_nul_bytes
    from portal.common.security import add_security_headers

    transaction.register(app)  # first: it decides how the request's transaction begins
    app.before_request(refuse_nul_bytes)
    app.before_request(enforce_access)
    app.after_request(add_vary_header)
    app.after_request(add_security_headers)


def register_features(app: Flask) -> None:
    from portal.common.features import init_registry

    init_registry(app)
    for name in FEATURES:
        import_module(f"portal.{name}").register(app)


def register_errorhandlers(app: Flask) -> None:
    from portal.common.error_pages import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from portal.common.templating import register

    register(app)
