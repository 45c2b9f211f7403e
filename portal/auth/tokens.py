"""Single-use, expiring links to choose a password (invitations and password resets).

The link carries ``secrets.token_urlsafe(32)`` (256 random bits: not guessable); the database keeps its SHA-256
only. A link is *used* by one conditional UPDATE (``used_at IS NULL AND expires_at > now``), so of two clicks at
the same moment exactly one gets through, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from portal.auth.models import SignInToken, TokenPurpose, User
from portal.db import utcnow
from portal.extensions import db

MAX_TOKEN_LENGTH = 100  # a token_urlsafe(32) is 43 characters; anything much longer is not one of ours


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(*, user: User, purpose: TokenPurpose, valid_for: timedelta, now: datetime | None = None) -> str:
    """A new link secret for ``user``; earlier unused links for the same purpose stop working (only the latest email
    counts). Returns the secret, which is never stored."""
    now = now or utcnow()
    db.session.execute(
        update(SignInToken)
        .where(SignInToken.user_id == user.id, SignInToken.purpose == purpose, SignInToken.used_at.is_(None),
               SignInToken.expires_at > now)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )
    raw = secrets.token_urlsafe(32)
    db.session.add(SignInToken(purpose=purpose, token_hash=hash_token(raw), user_id=user.id, created_at=now,
                               expires_at=now + valid_for))
    db.session.flush()
    return raw


def find_usable(raw: str | None, *, now: datetime | None = None) -> SignInToken | None:
    """The unused, unexpired token for this secret, or None. Reads only: the page that shows the form uses it."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = db.session.scalar(select(SignInToken).where(SignInToken.token_hash == hash_token(raw)))
    if token is None or token.used_at is not None or token.expires_at <= (now or utcnow()):
        return None
    return token


def use_token(raw: str | None, *, now: datetime | None = None) -> SignInToken | None:
    """Mark the token used, once: the guarded UPDATE touches one row for the first caller and none for anyone after
    (or for an expired or unknown secret). Returns the token, or None when it could not be used."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    now = now or utcnow()
    digest = hash_token(raw)
    result = db.session.execute(
        update(SignInToken)
        .where(SignInToken.token_hash == digest, SignInToken.used_at.is_(None), SignInToken.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    token = db.session.scalar(select(SignInToken).where(SignInToken.token_hash == digest))
    db.session.refresh(token)
    return token


def latest_token(user: User, purpose: TokenPurpose) -> SignInToken | None:
    return db.session.scalar(select(SignInToken)
                             .where(SignInToken.user_id == user.id, SignInToken.purpose == purpose)
                             .order_by(SignInToken.created_at.desc(), SignInToken.id.desc()).limit(1))


def prune_tokens(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete links that expired or were used more than ``older_than`` ago (the audit log keeps what happened)."""
    cutoff = (now or utcnow()) - older_than
    result = db.session.execute(
        delete(SignInToken).where((SignInToken.expires_at < cutoff) | (SignInToken.used_at < cutoff))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
