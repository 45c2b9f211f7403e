"""Whether the database answers, for the health check."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db


def database_is_up() -> bool:
    """True when the database answers a trivial query. A failure leaves the session needing a rollback, which the
    request's unit of work does because the health check then answers 503."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
