"""Page-or-fragment rendering and htmx-aware responses."""

from __future__ import annotations

from flask import Response, make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    """True for an htmx request that wants a fragment (a history restore wants the whole page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def render_page(template: str, *, block: str | None = None, status_code: int = 200, **context) -> Response:
    """The whole page, or just ``block`` of it when htmx asked (same URL, same template, same context)."""
    body = render_block(template, block, **context) if block and is_htmx() else render_template(template, **context)
    return make_response(body, status_code)


def redirect_after_post(location: str) -> Response:
    """After a successful POST: 303 for a plain form, HX-Location for htmx (so the browser's URL follows)."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Location"] = location
        return response
    return redirect(location, code=303)


def add_vary_header(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response
