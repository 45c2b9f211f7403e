"""Small helpers shared by every feature's forms."""

from __future__ import annotations

from flask_wtf import FlaskForm

from portal.common.errors import DomainError


def attach_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's DomainError next to the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        form.form_errors.append(error.message)


MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """A database id from a query string or form value, or None for anything else ("²", "-1", 10**20, "")."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdecimal():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
