"""Tokens for HR systems that read recognition data through the read-only API.

A token is shown once, when it is made; only its SHA-256 is stored, so a copy of the database gives nobody a
working token. Every token expires, can be revoked at once, and carries the scopes it was given: reading rows, and
(separately) the givers' names and the message text.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import Choice, utcnow
from portal.extensions import db

NAME_MAX = 80
# How many days a new token may live (the choices HR has).
TOKEN_DAYS = (30, 90, 180, 365)


class Scope(Choice):
    READ = "recognition:read", _l("Read recognition rows (givers pseudonymised, no message text)")
    GIVERS = "recognition:givers", _l("See who gave recognition (names and staff numbers of givers)")
    MESSAGES = "recognition:messages", _l("Read the message text of public thank-yous and of nominations")


class ApiToken(db.Model):
    __tablename__ = "hr_api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    # sha256 of the token, hex: the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Space-separated Scope values.
    scopes: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_used_at: Mapped[datetime | None]
    # The "Create a token" form's key: the same form sent twice makes one token.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def scope_set(self) -> frozenset[Scope]:
        return frozenset(Scope(value) for value in self.scopes.split())

    def allows(self, scope: Scope) -> bool:
        return scope in self.scope_set

    def is_live(self, now: datetime | None = None) -> bool:
        return self.revoked_at is None and (now or utcnow()) < self.expires_at

    @property
    def status(self) -> TokenStatus:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        return TokenStatus.ACTIVE if self.is_live() else TokenStatus.EXPIRED


class TokenStatus(Choice):
    ACTIVE = "active", _l("Active")
    EXPIRED = "expired", _l("Expired")
    REVOKED = "revoked", _l("Revoked")

    @property
    def tag_colour(self) -> str:
        return {"active": "green", "expired": "grey", "revoked": "red"}[self.value]
