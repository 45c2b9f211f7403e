"""Recognition test data, made through the real services (so every row is one the portal could make)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from portal.extensions import db
from portal.recognition.models import RecognitionValue, Visibility
from portal.recognition.services import ThankYou, send_thank_you

WORDS = "You stayed on the line with a caller in crisis until the crisis team arrived, then checked I was OK too."


def value_ids(*names: str) -> list[int]:
    stmt = select(RecognitionValue.id)
    if names:
        stmt = stmt.where(RecognitionValue.name.in_(names))
    return list(db.session.scalars(stmt.order_by(RecognitionValue.id).limit(None if names else 1)))


def thank(author, *people, team=None, visibility: str = Visibility.PUBLIC, words: str = WORDS,
          values: tuple[str, ...] = ("Listened",), created_at: datetime | None = None, learning: str = ""):
    return send_thank_you(author=author, user_ids=[p.id for p in people], team=team, now=created_at,
                          words=ThankYou(what_they_did=words, difference="The caller was safe.",
                                         value_ids=value_ids(*values), visibility=visibility, learning=learning))
