"""Flask-Login wiring: the session cookie names the user *and* their current session token."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, make_response, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from portal.auth.models import User
from portal.common.forms import parse_id
from portal.common.htmx import is_htmx
from portal.common.security import safe_next
from portal.extensions import db, login_manager


def load_user(session_id: str) -> User | None:
    raw_id, _, token = session_id.partition(":")
    user_id = parse_id(raw_id)
    if user_id is None or not token:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_token != token or not user.is_active_account:
        return None
    return user


def _return_path() -> str | None:
    """Where to come back to after signing in: for htmx, the page the person was on, not the fragment URL."""
    if is_htmx():
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        path = current.path + (f"?{current.query}" if current.query else "")
        return safe_next(path, "") or None
    return request.full_path.rstrip("?") if request.method == "GET" else None


def unauthorized():
    target = url_for("auth.login", next=_return_path())
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def configure_login_manager(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.session_protection = "basic"
