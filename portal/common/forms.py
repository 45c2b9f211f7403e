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
