"""Frontline: recognition and peer support for front-line public service staff."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class BoundedIntConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):  # noqa: A002 (werkzeug's signature)
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, request hooks, error handlers, CLI."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    # Ids in URLs are 64-bit: anything bigger is a 404, not an overflow deep in the database driver.
    app.url_map.converters["int"] = BoundedIntConverter
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    if app.config.get("PROXY_FIX_X_FOR"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(app.config["PROXY_FIX_X_FOR"]), x_proto=1)
    return app


def register_extensions(app: Flask) -> None:
    from portal.auth.sessions import configure_login_manager
    from portal.common.i18n import select_locale
    from portal.extensions import babel, csrf, db, limiter, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(PROJECT_ROOT / "portal" / "translations"))
    configure_login_manager(app)
    from portal.db import configure_engine_events

    with app.app_context():
        configure_engine_events(db.engine)


def register_blueprints(app: Flask) -> None:
    from portal.admin.views import bp as admin_bp
    from portal.auth.views import bp as auth_bp
    from portal.awards.views import bp as awards_bp
    from portal.debriefs.views import bp as debriefs_bp
    from portal.home.views import bp as home_bp
    from portal.mentoring.views import bp as mentoring_bp
    from portal.notifications.views import bp as notifications_bp
    from portal.recognition.views import bp as recognition_bp
    from portal.support.views import bp as support_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(recognition_bp)
    app.register_blueprint(awards_bp)
    app.register_blueprint(support_bp)
    app.register_blueprint(mentoring_bp)
    app.register_blueprint(debriefs_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")


def register_request_hooks(app: Flask) -> None:
    from portal.common.access import enforce_access
    from portal.common.htmx import add_vary_header
    from portal.common.security import add_security_headers

    app.before_request(enforce_access)
    app.after_request(add_vary_header)
    app.after_request(add_security_headers)


def register_errorhandlers(app: Flask) -> None:
    from portal.common.error_pages import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from portal.common.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from portal.auth.cli import users_cli
    from portal.demo.cli import demo_command
    from portal.notifications.cli import worker_command
    from portal.org.cli import units_cli

    app.cli.add_command(units_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(worker_command)
