"""The record of leavers whose personal data has been removed (see services.anonymise_leaver)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import utcnow
from portal.extensions import db


class AnonymisedLeaver(db.Model):
    """One row per anonymised person: the daily job skips them afterwards, and the row says when it happened."""

    __tablename__ = "anonymised_leaver"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    deactivated_at: Mapped[datetime]  # from the audit log's "user.deactivated"
    anonymised_at: Mapped[datetime] = mapped_column(default=utcnow)
