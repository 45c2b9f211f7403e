"""Who may use HR's exports and tokens, and the one check every API request goes through.

The export pages are for HR (their routes say so). The API's routes are declared ``api_token_required`` because an HR
system signs in with a token, not a session: ``api_token`` is the only place a token is accepted or refused.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select

from portal.auth.models import User
from portal.common.roles import Role
from portal.db import utcnow
from portal.extensions import db
from portal.hr.models import ApiToken, Scope

BEARER = "bearer "


class TokenRefused(Exception):
    """The request may not read the API: ``status`` 401 (no token, or one that is unknown, expired or revoked)
    or 403 (a live token without the scope asked for); ``error`` is the RFC 6750 error code."""

    def __init__(self, status: int, error: str | None, description: str):
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def presented_token(authorization: str | None) -> str | None:
    """The token in an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization or authorization[: len(BEARER)].lower() != BEARER:
        return None
    token = authorization[len(BEARER):].strip()
    return token if 0 < len(token) <= 200 and token.isascii() else None


def api_token(authorization: str | None, *, scopes: set[Scope], now: datetime | None = None) -> ApiToken:
    """The live token the request carries, when it holds every one of ``scopes``; else raises TokenRefused."""
    token = presented_token(authorization)
    if token is None:
        raise TokenRefused(401, None, "Send a token: Authorization: Bearer <token>.")
    found = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    if found is None or not found.is_live(now or utcnow()):
        raise TokenRefused(401, "invalid_token", "The token is unknown, expired or revoked.")
    missing = sorted(scope.value for scope in scopes if not found.allows(scope))
    if missing:
        raise TokenRefused(403, "insufficient_scope", f"The token does not have the scope {' '.join(missing)}.")
    return found


def can_manage_tokens(user: User, token: ApiToken | None = None) -> bool:
    """HR creates and revokes the tokens (any HR person may revoke any token: a leak must be stoppable at once)."""
    return user.is_authenticated and user.has_role(Role.HR)


def can_revoke(user: User, token: ApiToken) -> bool:
    return can_manage_tokens(user, token) and token.revoked_at is None
