"""Deny-by-default access declarations.

Every view declares who may reach it with exactly one of ``public``, ``signed_in``, ``role_required`` or
``api_token_required`` (an API for other systems, which present a token instead of a session).
``enforce_access`` runs before every request and refuses any endpoint that declared nothing, so a forgotten
decorator fails closed (and a test walking ``app.url_map`` fails loudly). Object-level checks stay in each
feature's ``policies.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from portal.common.roles import Role

F = TypeVar("F", bound=Callable[..., object])

# Endpoints Flask itself adds; static files carry no user data.
BUILTIN_PUBLIC_ENDPOINTS = frozenset({"static"})


@dataclass(frozen=True)
class Access:
    signed_in: bool
    roles: frozenset[Role] = frozenset()
    allow_password_change_pending: bool = False
    # An API for other systems: no session; the view admits only a live token in the Authorization header and
    # answers 401 (no token, or a dead one) or 403 (a token without the scope) itself.
    api_token: bool = False


def _declare(access: Access) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        view.access = access  # type: ignore[attr-defined]
        return view

    return decorator


def public(view: F) -> F:
    """Anyone, signed in or not."""
    return _declare(Access(signed_in=False, allow_password_change_pending=True))(view)


def api_token_required(view: F) -> F:
    """No session needed or used: the view checks the bearer token the calling system sends."""
    return _declare(Access(signed_in=False, allow_password_change_pending=True, api_token=True))(view)


def signed_in(view: F) -> F:
    """Any active, signed-in person."""
    return _declare(Access(signed_in=True))(view)


def role_required(*roles: Role) -> Callable[[F], F]:
    """Signed in and holding at least one of ``roles``."""
    if not roles:
        raise ValueError("role_required needs at least one role")
    return _declare(Access(signed_in=True, roles=frozenset(roles)))


def password_change_allowed(view: F) -> F:
    """Signed in, and reachable even while a temporary password must be changed."""
    return _declare(Access(signed_in=True, allow_password_change_pending=True))(view)


def access_for(endpoint: str | None) -> Access | None:
    if endpoint is None:
        return None
    if endpoint in BUILTIN_PUBLIC_ENDPOINTS:
        return Access(signed_in=False, allow_password_change_pending=True)
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def may_open(user, endpoint: str) -> bool:
    """May ``user`` open ``endpoint``? The one answer used by the before-request check, the header and the home
    page's tools (object policies aside: those need the object)."""
    access = access_for(endpoint)
    if access is None:
        return False
    if not access.signed_in:
        return True
    if not user.is_authenticated:
        return False
    return not access.roles or user.has_any_role(access.roles)


def enforce_access():
    """before_request hook: the one place where route-level access is decided."""
    if request.endpoint is None:  # 404 / 405: let Flask answer
        return None
    access = access_for(request.endpoint)
    if access is None:
        current_app.logger.error("endpoint %s declares no access; refusing", request.endpoint)
        abort(403)
    if not access.signed_in:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.must_change_password and not access.allow_password_change_pending:
        return redirect(url_for("auth.change_password"))
    if not may_open(current_user, request.endpoint):
        abort(403)
    return None
