"""People who sign in to Frontline."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.common.roles import Role
from portal.db import utcnow
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

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    manager: Mapped[User | None] = relationship(remote_side=[id], back_populates="reports")
    reports: Mapped[list[User]] = relationship(back_populates="manager", order_by="User.display_name")
    role_rows: Mapped[list[UserRole]] = relationship(lazy="selectin", cascade="all, delete-orphan")

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
