"""The append-only audit log.

Rows are only ever inserted: the migration installs database triggers that reject UPDATE and DELETE on both
PostgreSQL and SQLite, so not even a bug in Frontline can rewrite history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import utcnow
from portal.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor = relationship("User", lazy="joined")


def record_event(action: str, *, actor=None, target=None, target_type: str | None = None,
                 target_id: object = None, **details: Any) -> AuditEvent:
    """Append one audit event in the caller's transaction. ``target`` is any model with an ``id``.

    The client IP is taken from the current request when there is one (the CLI has none).
    """
    if target is not None:
        target_type = target_type or target.__tablename__
        target_id = target.id
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        ip=request.remote_addr if has_request_context() else None,
        details={k: v for k, v in details.items() if v is not None},
    )
    db.session.add(event)
    return event
