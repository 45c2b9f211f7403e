"""The read-only API for HR systems: the export's rows as JSON (keyset pages) and as CSV, and the unit tree (to
know which unit id to filter on).

Declared ``api_token_required`` — an HR system has no session — and closed by ``policies.api_token``, which
every view here calls first. Each read is rate-limited per token (``HR_API_LIMIT``) and audit-logged on behalf of
the person who made the token. Without the scope ``recognition:givers`` givers are always pseudonymised; message
text needs ``recognition:messages``.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from flask import Response, current_app, jsonify, request, url_for
from flask_limiter.util import get_remote_address
from sqlalchemy import select

from portal.common.access import api_token_required
from portal.common.params import parse_id
from portal.common.transaction import writes
from portal.extensions import db, limiter
from portal.hr import policies
from portal.hr.columns import Format, RowFormatter, UnitNames, columns_for
from portal.hr.downloads import csv_response
from portal.hr.filters import ExportFilters
from portal.hr.forms import ExportForm
from portal.hr.models import ApiToken, Scope
from portal.hr.policies import TokenRefused
from portal.hr.queries import Reader, count_by_type, rows_page
from portal.hr.services import record_api_read
from portal.org.models import Unit

PAGE_SIZE, MAX_PAGE_SIZE = 500, 1000


def rate_limit() -> str:
    return current_app.config.get("HR_API_LIMIT", "120 per minute")


def rate_limit_key() -> str:
    """Per token (its hash: the token itself never reaches the counters' store); per address without one."""
    token = policies.presented_token(request.headers.get("Authorization"))
    if token is None:
        return "hr-api-ip:" + (get_remote_address() or "")
    return "hr-api-token:" + hashlib.sha256(token.encode()).hexdigest()


def _error(status: int, error: str, description: str, **headers: str) -> Response:
    response = jsonify({"error": error, "error_description": description})
    response.status_code = status
    response.headers.update(headers)
    return response


def _refused(refused: TokenRefused) -> Response:
    challenge = 'Bearer realm="Frontline HR API"'
    if refused.error:
        challenge += f', error="{refused.error}"'
    return _error(refused.status, refused.error or "invalid_request", refused.description,
                  **{"WWW-Authenticate": challenge})


def _token_and_filters() -> tuple[ApiToken, ExportFilters]:
    """The token (raises TokenRefused) and the filters asked for (raises ValueError with the problems)."""
    form = ExportForm(request.args)
    needed = {Scope.READ} | ({Scope.MESSAGES} if form.include_message.data else set())
    token = policies.api_token(request.headers.get("Authorization"), scopes=needed)
    unit = db.session.get(Unit, parse_id(request.args.get("unit"))) if request.args.get("unit") else None
    problems = [f"{field.name}: {error}" for field in form for error in field.errors] if not form.validate() else []
    if request.args.get("unit") and unit is None:
        problems.append("unit: there is no unit with that id")
    if problems:
        raise ValueError(problems)
    filters = form.filters(unit)
    if not token.allows(Scope.GIVERS):
        filters = replace(filters, pseudonymise=True)
    return token, filters


def _guarded(view):
    """Run ``view(token, filters)``, answering refused tokens (401/403) and bad filters (400) in JSON."""
    try:
        token, filters = _token_and_filters()
    except TokenRefused as refused:
        current_app.logger.warning("HR API refused: %s", refused.description)
        return _refused(refused)
    except ValueError as problems:
        return _error(400, "invalid_request", "; ".join(str(p) for p in problems.args[0]))
    return view(token, filters)


@api_token_required
@writes
@limiter.limit(rate_limit, key_func=rate_limit_key, scope="hr-api")
def recognition():
    """One page of rows: ``{"rows": [...], "next": URL or null}``; follow ``next`` for the rest."""
    def page(token: ApiToken, filters: ExportFilters):
        size = min(parse_id(request.args.get("limit")) or PAGE_SIZE, MAX_PAGE_SIZE)
        rows, cursor = rows_page(filters, Reader.system(), after=request.args.get("after"), size=size)
        formatter = RowFormatter(filters, UnitNames.load(), Format.JSON)
        names = [column.name for column in columns_for(filters)]
        record_api_read(token=token, filters=filters, rows=len(rows), file_format="json")
        next_url = url_for("hr.api_recognition", **{**filters.query_args(), "after": cursor, "limit": size}) \
            if cursor else None
        return jsonify({"rows": [dict(zip(names, formatter.record(row), strict=True)) for row in rows],
                        "next": next_url})

    return _guarded(page)


@api_token_required
@writes
@limiter.limit(rate_limit, key_func=rate_limit_key, scope="hr-api")
def recognition_csv():
    """Every row as CSV, streamed (the same file as the export page's)."""
    def download(token: ApiToken, filters: ExportFilters):
        rows = sum(count_by_type(filters).values())
        record_api_read(token=token, filters=filters, rows=rows, file_format="csv")
        return csv_response(filters, Reader.system())

    return _guarded(download)


@api_token_required
@limiter.limit(rate_limit, key_func=rate_limit_key, scope="hr-api")
def units():
    """The unit tree: ids, names and full names, to filter on ``unit``."""
    try:
        policies.api_token(request.headers.get("Authorization"), scopes={Scope.READ})
    except TokenRefused as refused:
        return _refused(refused)
    names = UnitNames.load()
    parents = dict(db.session.execute(select(Unit.id, Unit.parent_id)).all())
    return jsonify({"units": [{"id": unit_id, "name": names.short[unit_id], "full_name": names.full[unit_id],
                               "parent_id": parents[unit_id]}
                              for unit_id in sorted(names.short, key=lambda i: names.full[i].casefold())]})
