"""The search page (``GET /search?q=WORDS``): every kind of thing found, best first, with filters.

One URL answers four ways: the whole page; with htmx, the results block only (``#search-results``, as someone types
on the page), the header's drop-down (``#header-search-results``: the best few of each kind, search/_preview.html),
or the next hits of one kind ("Show more", which replaces itself: search/_more.html). Without JavaScript the form and
the "Show more" links are plain GET requests for the whole page.
"""

from __future__ import annotations

from flask import current_app, make_response, render_template, request, url_for
from flask_login import current_user

from portal.common.access import signed_in
from portal.common.htmx import is_htmx, render_page
from portal.org.picker import UnitChoice, unit_choice
from portal.search.forms import SearchForm
from portal.search.queries import available_sources, search, tag_choices
from portal.search.sources import PREVIEW_SIZE, SUMMARY_SIZE, SearchQuery, Sort

PREVIEW_TARGET = "header-search-results"
RESULTS_TARGET = "search-results"


@signed_in
def results():
    sources = available_sources()
    form = SearchForm(request.args, kinds=[(source.kind, source.label) for source in sources], tags=tag_choices())
    unit = unit_choice(request.args)
    after = request.args.get("after") or None
    target = request.headers.get("HX-Target") if is_htmx() else None
    query, pages = None, []
    if "q" in request.args and form.validate():  # a bare /search is the empty form, without messages
        query = SearchQuery(**form.query_values(unit=unit.unit, after=after, size=_size(form, after, target)))
        if not query.words.empty:
            pages = search(query, viewer=current_user, kind=form.kind_or_none)
    context = {"form": form, "unit": unit, "query": query, "pages": pages, "args": _arguments(form, unit),
               "ranked_matches": current_app.config["SEARCH_RANKED_MATCHES"]}
    fragment = _fragment(target, after)
    if fragment is not None:
        response = make_response(render_template(fragment, **context))
    else:
        response = render_page("search/results.html", block="results" if target == RESULTS_TARGET else None,
                               **context)
    if target == RESULTS_TARGET:  # the address htmx puts in the history: this search, without its empty fields
        response.headers["HX-Push-Url"] = url_for("search.results", **context["args"])
    response.vary.add("HX-Target")
    return response


def _size(form: SearchForm, after: str | None, target: str | None) -> int:
    if target == PREVIEW_TARGET:
        return PREVIEW_SIZE
    return current_app.config["PAGE_SIZE"] if form.kind_or_none or after else SUMMARY_SIZE


def _fragment(target: str | None, after: str | None) -> str | None:
    """The partial template htmx asked for: the header's drop-down, or the next hits of one kind."""
    if target == PREVIEW_TARGET:
        return "search/_preview.html"
    if after and target is not None:
        return "search/_more.html"
    return None


def _arguments(form: SearchForm, unit: UnitChoice) -> dict:
    """The search as query arguments, for the links that repeat it ("Show more") and the address in the history;
    a default (best match first) or empty field is left out."""
    sort = "" if form.sort.data == Sort.RELEVANCE.value else form.sort.data
    arguments = {"q": form.q.data, "type": form.kind.data, "tag": form.tag.data, "sort": sort,
                 "from": form.first.raw_data[0] if form.first.raw_data else "",
                 "to": form.last.raw_data[0] if form.last.raw_data else "",
                 "unit": unit.unit.id if unit.unit is not None else ""}
    return {name: value for name, value in arguments.items() if value}
