"""Password hashing with argon2id (argon2-cffi's recommended defaults in production)."""

from __future__ import annotations

from contextlib import suppress

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_PASSWORD_LENGTH = 10

# Verifying against this when no account matches keeps the timing of "no such person" and "wrong password" alike.
_DUMMY_HASH_CACHE: dict[tuple, str] = {}


def _hasher() -> PasswordHasher:
    return PasswordHasher(**current_app.config.get("ARGON2_PARAMS", {}))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    if password_hash is None:
        key = tuple(sorted(current_app.config.get("ARGON2_PARAMS", {}).items()))
        dummy = _DUMMY_HASH_CACHE.setdefault(key, hasher.hash("not a real password"))
        with suppress(VerificationError):
            hasher.verify(dummy, password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
