"""People who sign in to Frontline, and the single-use links that let them choose a password."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.common.roles import Role
from portal.db import Choice, EnumText, utcnow
from portal.extensions import db
from portal.org.models import Unit


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class User(UserMixin, db.Model):
    # "user" is reserved in PostgreSQL.
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique index makes email unique case-insensitively on every database.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), index=True)
    staff_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    job_title: Mapped[str] = mapped_column(String(120), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Part of the session's user id: rotating it signs the person out everywhere.
    session_token: Mapped[str] = mapped_column(String(40), default=new_session_token)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    # The person's entry in the organisation's directory (entryUUID, or objectGUID as a UUID): set when they first
    # sign in with the directory or a sync finds them, so a changed email or name still finds the same account.
    directory_id: Mapped[str | None] = mapped_column(String(64), index=True, unique=True)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    manager: Mapped[User | None] = relationship(remote_side=[id], back_populates="reports")
    reports: Mapped[list[User]] = relationship(back_populates="manager", order_by="User.display_name")
    role_rows: Mapped[list[UserRole]] = relationship(lazy="selectin", cascade="all, delete-orphan")

    @property
    def is_directory_account(self) -> bool:
        return self.directory_id is not None

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated people cannot sign in
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def has_any_role(self, roles: Iterable[Role]) -> bool:
        return not self.roles.isdisjoint(roles)

    def set_roles(self, roles: Iterable[Role]) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows = [row for row in self.role_rows if Role(row.role) in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role.value))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class TokenPurpose(Choice):
    INVITATION = "invitation", _l("Invitation")
    PASSWORD_RESET = "password_reset", _l("Password reset")


class SignInToken(db.Model):
    """A single-use link to choose a password: only the SHA-256 of the secret in the link is stored, so the table
    (a backup, a replica) is no use to anyone without the email. Used once, by a guarded update."""

    __tablename__ = "sign_in_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(EnumText(TokenPurpose, 20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<SignInToken {self.id} {self.purpose} user={self.user_id}>"
