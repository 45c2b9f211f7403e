"""Languages and local time. Stored times are UTC; people see Europe/London."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_request_context, request, session
from flask_babel import format_datetime, get_locale
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # worker and CLI: callers pick the language with flask_babel.force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def when(value: datetime | None) -> str:
    """"Tue 3 Dec, 14:00" in London time (with the year when it is not this year)."""
    if value is None:
        return ""
    pattern = "EEE d MMM, HH:mm" if value.year == datetime.now().year else "EEE d MMM yyyy, HH:mm"
    return format_datetime(value, pattern)


def day(value: datetime | None) -> str:
    return "" if value is None else format_datetime(value, "EEE d MMM yyyy")


def iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


def current_language() -> str:
    return str(get_locale() or "en")
