"""Error responses that tell people what happened and what to do, for full pages and htmx alike.

For htmx requests the message is swapped into the page's live region (HX-Retarget), never over the form, so what
the person typed stays on screen.
"""

from __future__ import annotations

from flask import Flask, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.common.htmx import is_htmx

# Fields never echoed back on the "page expired" page.
SECRET_FIELDS = {"csrf_token", "password", "current_password", "new_password", "confirm_password"}


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something in that request was not right"), _("Go back, check what you entered and try again.")),
        403: (_("You do not have access to this page"),
              _("If you think you should, ask your administrator to check your roles.")),
        404: (_("Page not found"), _("If you typed the web address, check it is correct. "
                                     "If you followed a link, the item may have been removed.")),
        405: (_("That action is not available here"), _("Go back and use the buttons on the page.")),
        413: (_("That file is too large"), _("Files can be up to 5 MB. Split it into smaller files and try again.")),
        429: (_("Too many attempts"), _("Wait 15 minutes, then try again. "
                                        "If you have forgotten your password, ask your administrator to reset it.")),
        500: (_("Sorry, something went wrong on our side"),
              _("Nothing you did caused this. Try again in a few minutes; if it keeps happening, tell the IT "
                "service desk what you were doing.")),
    }


def _respond(status: int, title: str, detail: str, kept_fields: list[tuple[str, str]] | None = None):
    if is_htmx():
        body = render_template("errors/_message.html", title=title, detail=detail, status=status)
        response = make_response(body, status)
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    body = render_template("errors/error.html", title=title, detail=detail, status=status,
                           kept_fields=kept_fields or [])
    return make_response(body, status)


def handle_http_error(error: HTTPException):
    status = error.code or 500
    title, detail = _messages().get(status, (error.name, error.description or ""))
    return _respond(status, title, detail)


def handle_csrf_error(error: CSRFError):
    kept = [(name, value) for name, value in request.form.items(multi=True)
            if name not in SECRET_FIELDS and value.strip()]
    detail = _("This page was open for a long time, or you signed out in another tab, so we could not save it. "
               "Nothing was sent.")
    if is_htmx():
        detail += " " + _("What you typed is still on the page: reload it in another tab, then copy your text across.")
    elif kept:
        detail += " " + _("What you typed is below. Copy it, go back, reload the page and paste it in again.")
    else:
        detail += " " + _("Go back, reload the page and try again.")
    return _respond(400, _("Your page had expired"), detail, kept)


def handle_unexpected(error: Exception):
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    title, detail = _messages()[500]
    return _respond(500, title, detail)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
