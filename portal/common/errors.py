"""Domain errors: services raise them, views turn them into messages next to the right field."""

from __future__ import annotations


class DomainError(Exception):
    """A rule was broken; ``message`` is written for the person using Frontline."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None):
        # A lazy string (a module constant marked with _l) is read now, in the language of the request that raised it.
        message = str(message)
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    """Someone else changed the thing first, or it already exists."""


class InvalidTransition(Conflict):
    """The item is no longer in the state this action needs."""
