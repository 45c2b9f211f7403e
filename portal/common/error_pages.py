"""Error responses that tell people what happened and what to do, for full pages and htmx alike.

An error page must render when everything else is broken, so it is rendered from its template alone: no context
processors (no signed-in person, no notification count), no database, and a language chosen from the session or
the browser rather than the account. A database that is down, or too busy to take a write in time, is a 503 with
``Retry-After`` and a page that says to try again — with what the person typed, so nothing is lost.

For htmx requests the message is swapped into the page's live region (HX-Retarget), never over the form, so what
the person typed stays on screen.
"""

from __future__ import annotations

from flask import Flask, current_app, make_response, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.common.errors import DomainError
from portal.common.htmx import is_htmx
from portal.common.i18n import html_lang

# Fields never echoed back on an error page.
SECRET_FIELDS = {"csrf_token", "password", "current_password", "new_password", "confirm_password", "request_key"}
RETRY_AFTER_SECONDS = 30


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something in that request was not right"), _("Go back, check what you entered and try again.")),
        403: (_("You do not have access to this page"),
              _("If you think you should, ask your administrator to check your roles.")),
        404: (_("Page not found"), _("If you typed the web address, check it is correct. "
                                     "If you followed a link, the item may have been removed.")),
        405: (_("That action is not available here"), _("Go back and use the buttons on the page.")),
        409: (_("That could not be done"), _("Go back, reload the page and check where things stand.")),
        413: (_("That file is too large"), _("Files can be up to 5 MB. Split it into smaller files and try again.")),
        429: (_("Too many attempts"), _("Wait 15 minutes, then try again. "
                                        "If you have forgotten your password, ask your administrator to reset it.")),
        500: (_("Sorry, something went wrong on our side"),
              _("Nothing you did caused this. Try again in a few minutes; if it keeps happening, tell the IT "
                "service desk what you were doing.")),
        503: (_("Frontline is busy or briefly unavailable"),
              _("Nothing was saved. Wait a minute and try again.")),
    }


def _language() -> str:
    """The page's language without asking the database: the choice kept in the session, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _render(template: str, **context) -> str:
    """The template and nothing else: Flask's ``render_template`` would run every context processor."""
    return current_app.jinja_env.get_template(template).render(url_for=url_for, _=_, **context)


def _kept_fields() -> list[tuple[str, str]]:
    if request.method != "POST":
        return []
    return [(name, value) for name, value in request.form.items(multi=True)
            if name not in SECRET_FIELDS and value.strip()]


def _respond(status: int, title: str | None = None, detail: str | None = None,
             kept_fields: list[tuple[str, str]] | None = None, *, lang: str):
    with force_locale(lang):
        default_title, default_detail = _messages().get(status, (None, None))
        title, detail = title or default_title, detail or default_detail
        if is_htmx():
            body = _render("errors/_message.html", title=title, detail=detail, status=status)
        else:
            body = _render("errors/error.html", title=title, detail=detail, status=status, lang=html_lang(lang),
                           kept_fields=kept_fields or [])
    response = make_response(body, status)
    if is_htmx():
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_http_error(error: HTTPException):
    """Our own words for the statuses people meet; werkzeug's for the rare others."""
    status = error.code or 500
    lang = _language()
    with force_locale(lang):
        known = status in _messages()
    return _respond(status, None if known else error.name, None if known else error.description or "", lang=lang)


def handle_csrf_error(error: CSRFError):
    lang = _language()
    kept = _kept_fields()
    with force_locale(lang):
        detail = _("This page was open for a long time, or you signed out in another tab, so we could not save it. "
                   "Nothing was sent.")
        if is_htmx():
            detail += " " + _("What you typed is still on the page: reload it in another tab, then copy your text "
                              "across.")
        elif kept:
            detail += " " + _("What you typed is below. Copy it, go back, reload the page and paste it in again.")
        else:
            detail += " " + _("Go back, reload the page and try again.")
        title = _("Your page had expired")
    return _respond(400, title, detail, kept, lang=lang)


def handle_database_unavailable(error: DBAPIError):
    """The database is down, restarting, or (SQLite) held by another writer beyond the busy timeout."""
    current_app.logger.warning("database unavailable on %s %s: %s", request.method, request.path, error)
    session.pop("_flashes", None)  # a "Saved" flashed before the commit failed would not be true
    lang = _language()
    kept = _kept_fields()
    detail = None
    if kept and not is_htmx():
        with force_locale(lang):
            detail = _("Nothing was saved. What you typed is below: copy it, wait a minute, go back and try again.")
    return _respond(503, detail=detail, kept_fields=kept, lang=lang)


def handle_domain_error(error: DomainError):
    """A service refused and the view did not catch it (views should, with ``attempt``): say why, as a 409."""
    current_app.logger.warning("uncaught refusal on %s %s: %s", request.method, request.path, error.message)
    lang = _language()
    with force_locale(lang):
        title = _messages()[409][0]
    return _respond(409, title, error.message, _kept_fields(), lang=lang)


def handle_unexpected(error: Exception):
    if isinstance(error, DBAPIError) and (isinstance(error, OperationalError) or error.connection_invalidated):
        return handle_database_unavailable(error)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return _respond(500, lang=_language())


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)

