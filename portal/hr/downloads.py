"""Export responses: the rows streamed as CSV or as a spreadsheet, for the export pages and the API alike.

The view has already written the audit record and the request's unit of work has committed when these bodies
run (Flask streams after the view returns); they only read, in a transaction of their own (``streamed``).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import IO, Any

from flask import Response
from flask.globals import request_ctx
from flask_babel import gettext as _
from sqlalchemy import select

from portal.awards.models import AwardScheme
from portal.common.london import london_today
from portal.common.spreadsheets import as_download
from portal.db import utcnow
from portal.extensions import db
from portal.hr.columns import Format, RowFormatter, UnitNames, columns_for, london
from portal.hr.filters import ExportFilters
from portal.hr.postgres_csv import copy_chunks
from portal.hr.queries import Reader, stream_rows
from portal.hr.summary import build_summary
from portal.hr.writers import XLSX_MIMETYPE, csv_chunks, csv_head, write_workbook, xlsx_chunks
from portal.recognition.models import RecognitionValue


def streamed(chunks: Generator[bytes, None, None]) -> Iterator[bytes]:
    """``chunks``, each produced inside a fresh copy of this request's context (an app context, the person's
    language, a database session that ends with it), which is popped again before the chunk is sent.

    No context stays pushed between chunks, so a body abandoned half-read and closed later (by the server, or by
    the garbage collector) never pops a context out of turn. The rows' cursor has a connection of its own
    (``queries.stream_rows``), which lives from chunk to chunk.
    """
    base = request_ctx.copy()

    def body() -> Iterator[bytes]:
        try:
            while True:
                with base.copy():
                    chunk = next(chunks, None)
                if chunk is None:
                    return
                yield chunk
        finally:
            chunks.close()

    return body()


def records(filters: ExportFilters, reader: Reader, fmt: Format, units: UnitNames | None = None
            ) -> Iterator[list[Any]]:
    formatter = RowFormatter(filters, units or UnitNames.load(), fmt)
    for row in stream_rows(filters, reader):
        yield formatter.record(row)


def filename(filters: ExportFilters, extension: str) -> str:
    first = filters.first.isoformat() if filters.first else _("start")
    last = (filters.last or london_today()).isoformat()
    unit = f" {filters.unit.name}" if filters.unit is not None else ""
    return f"{_('Recognition')}{unit} {first} {_('to')} {last}.{extension}"


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _postgres_csv(header: list[str], filters: ExportFilters, reader: Reader) -> Generator[bytes, None, None]:
    yield csv_head(header)
    yield from copy_chunks(filters, reader)


def csv_response(filters: ExportFilters, reader: Reader) -> Response:
    header = [column.name for column in columns_for(filters)]
    if db.engine.dialect.name == "postgresql":  # the same bytes, written by PostgreSQL (see postgres_csv)
        chunks = _postgres_csv(header, filters, reader)
    else:
        chunks = csv_chunks(header, records(filters, reader, Format.CSV))
    body = streamed(chunks)
    return _private(as_download(Response(body, mimetype="text/csv"), filename(filters, "csv")))


def xlsx_response(filters: ExportFilters, reader: Reader, *, exported_by: str, rows: int) -> Response:
    def write(file: IO[bytes]) -> None:
        units = UnitNames.load()
        exported_at = london(utcnow()).strftime("%Y-%m-%d %H:%M")
        about = [*describe(filters, units), (_("Exported by"), exported_by), (_("Exported at"), exported_at),
                 (_("Rows"), f"{rows:,}")]
        write_workbook(file, header=[column.name for column in columns_for(filters)],
                       records=records(filters, reader, Format.XLSX, units),
                       summary=build_summary(filters, units), about=about, columns=columns_for(filters))

    body = streamed(xlsx_chunks(write))
    return _private(as_download(Response(body, mimetype=XLSX_MIMETYPE), filename(filters, "xlsx")))


def describe(filters: ExportFilters, units: UnitNames | None = None) -> list[tuple[str, str]]:
    """The filters in words, for the export page and the spreadsheet's summary."""
    everything = _("All")
    unit = ""
    if filters.unit is not None:
        unit = (units.full.get(filters.unit.id) if units else None) or filters.unit.name
    value = db.session.scalar(select(RecognitionValue.name).where(RecognitionValue.id == filters.value_id)) \
        if filters.value_id else None
    scheme = db.session.scalar(select(AwardScheme.name).where(AwardScheme.id == filters.scheme_id)) \
        if filters.scheme_id else None
    return [
        (_("From"), filters.first.isoformat() if filters.first else _("The beginning")),
        (_("To"), (filters.last or london_today()).isoformat()),
        (_("Unit"), _("%(unit)s and every unit beneath it", unit=unit) if unit else _("Every unit")),
        (_("Type"), ", ".join(str(t.label) for t in sorted(filters.types)) or everything),
        (_("Value"), value or _("Any value")),
        (_("Award scheme"), scheme or _("Any scheme")),
        (_("Status"), ", ".join(str(s.label) for s in sorted(filters.statuses)) or everything),
        (_("Message text"), _("Included where you may read it") if filters.include_message else _("Not included")),
        (_("Givers"), _("Pseudonymised") if filters.pseudonymise else _("Named")),
    ]
