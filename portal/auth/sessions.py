"""Flask-Login wiring: the session cookie names the user *and* their current session token; and single sign-on
through a header that only the configured reverse proxies are believed about."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, make_response, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from portal.auth.directory_settings import trusted_header_settings
from portal.auth.models import User
from portal.common.htmx import is_htmx
from portal.common.params import parse_id
from portal.common.security import safe_next
from portal.extensions import db, login_manager

# Session keys: who single sign-on signed in (so a proxy that now vouches for someone else ends that session), and
# a header value that could not sign anyone in (so Frontline does not keep trying, and auditing, on every page).
SSO_IDENTITY = "sso_identity"
SSO_FAILED = "sso_failed"


def peer_address() -> str | None:
    """The address that connected to Frontline: the proxy itself, even when ProxyFix (PROXY_FIX_X_FOR) has put the
    client's address in ``remote_addr``."""
    original = request.environ.get("werkzeug.proxy_fix.orig") or {}
    return original.get("REMOTE_ADDR") or request.remote_addr


def header_identity() -> tuple[str | None, bool]:
    """The single sign-on header's value (None when it is off or absent) and whether it came from a trusted proxy."""
    settings = trusted_header_settings(current_app.config)
    if settings is None:
        return None, False
    value = (request.headers.get(settings.header) or "").strip()
    return (value or None), settings.trusts(peer_address())


def wants_header_sign_in() -> bool:
    """A header that has not already failed to sign anyone in this session: worth sending to /login/sso."""
    value, _ = header_identity()
    return value is not None and session.get(SSO_FAILED) != value


def begin_session(user: User, *, sso_identity: str | None = None) -> None:
    """A new session for a new sign-in (no session fixation); the chosen language survives."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    if sso_identity:
        session[SSO_IDENTITY] = sso_identity
    login_user(user)


def load_user(session_id: str) -> User | None:
    raw_id, _, token = session_id.partition(":")
    user_id = parse_id(raw_id)
    if user_id is None or not token:
        return None
    signed_on_as = session.get(SSO_IDENTITY)
    if signed_on_as is not None:
        value, trusted = header_identity()
        if trusted and value is not None and value.casefold() != signed_on_as.casefold():
            return None  # the proxy now signs in someone else on this browser: this session is over
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
    endpoint = "auth.single_sign_on" if wants_header_sign_in() else "auth.login"
    target = url_for(endpoint, next=_return_path())
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
