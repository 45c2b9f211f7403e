"""Writing records as CSV and as a spreadsheet, in constant memory.

CSV is produced in chunks of about 64 kB while the rows arrive (UTF-8 with a byte-order mark, so Excel reads the
accents in Welsh names; CRLF line ends as RFC 4180 says). On PostgreSQL, PostgreSQL writes the same rows itself
(``postgres_csv``) after ``csv_head``. The spreadsheet is written with openpyxl's write-only
mode, which streams each sheet's rows to a temporary file; openpyxl needs a seekable file to zip them into the
.xlsx, so the workbook goes to an anonymous temporary file that is then sent in chunks and deleted.

Every text cell passes through ``safe_cell`` (a cell starting with =, +, -, @, a tab or a carriage return is kept
as text, not run as a formula). The spreadsheet also drops the few control characters XML cannot carry.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from portal.common.privacy import Count
from portal.hr.columns import Column, spreadsheet_text
from portal.hr.summary import OUTCOMES, Summary

CHUNK = 64 * 1024
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit: 1,048,576 rows a sheet, one of them the header.
SHEET_ROWS = 1_048_575
BOLD = Font(bold=True)


def csv_head(header: list[str]) -> bytes:
    """The file's first bytes: the byte-order mark and the header row."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer, lineterminator="\r\n").writerow(header)
    return buffer.getvalue().encode()


def csv_chunks(header: list[str], records: Iterable[list[Any]]) -> Iterator[bytes]:
    """The CSV file in pieces of about ``CHUNK`` bytes; nothing is kept once it is sent. ``records`` are ready for
    CSV (``Format.CSV``: text already through ``safe_cell``)."""
    yield csv_head(header)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for record in records:
        writer.writerow(record)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _xlsx_cell(value: Any) -> Any:
    """A value of the summary or dictionary sheets."""
    if isinstance(value, Count):
        return value.value if value.value is not None else str(value)
    return spreadsheet_text(str(value)) if value is not None and not isinstance(value, int) else value


def _heading(sheet, values: list[Any]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=_xlsx_cell(str(value)))
        cell.font = BOLD
        cells.append(cell)
    return cells


def _data_sheet(workbook: Workbook, title: str, header: list[str]):
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(name) + 4))
    sheet.append(_heading(sheet, header))
    return sheet


def _write_data(workbook: Workbook, header: list[str], records: Iterable[list[Any]]) -> int:
    """The rows, on as many sheets as Excel's row limit needs ("Recognition", "Recognition 2", …)."""
    sheet, number, rows, total = _data_sheet(workbook, _("Recognition"), header), 1, 0, 0
    for record in records:
        if rows == SHEET_ROWS:
            _close_filter(sheet, header, rows)
            number += 1
            sheet, rows = _data_sheet(workbook, f"{_('Recognition')} {number}", header), 0
        sheet.append(record)
        rows += 1
        total += 1
    _close_filter(sheet, header, rows)
    return total


def _close_filter(sheet, header: list[str], rows: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{rows + 1}"


def write_workbook(target: IO[bytes], *, header: list[str], records: Iterable[list[Any]], summary: Summary,
                   about: list[tuple[str, str]], columns: list[Column]) -> int:
    """Summary, the rows, and the data dictionary, as an .xlsx written to ``target``; returns the rows written."""
    workbook = Workbook(write_only=True)
    _write_summary(workbook, summary, about)
    total = _write_data(workbook, header, records)
    _write_dictionary(workbook, columns)
    workbook.save(target)
    return total


def xlsx_chunks(write: Callable[[IO[bytes]], Any]) -> Iterator[bytes]:
    """Run ``write(file)`` into an anonymous temporary file, then send the file in chunks; it is gone afterwards
    (also when the download is cut short)."""
    with tempfile.TemporaryFile(prefix="frontline-export-", suffix=".xlsx") as file:
        write(file)
        file.seek(0)
        while chunk := file.read(CHUNK):
            yield chunk


# --- the summary and dictionary sheets ----------------------------------------------------------------------

def _write_summary(workbook: Workbook, summary: Summary, about: list[tuple[str, str]]) -> None:
    sheet = workbook.create_sheet(_("Summary"))
    sheet.column_dimensions["A"].width = 44
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 16
    sheet.append(_heading(sheet, [_("Recognition export")]))
    for label, value in about:
        sheet.append([_xlsx_cell(label), _xlsx_cell(value)])
    sheet.append([_("Counts below 5 are shown as \"fewer than 5\", with enough others hidden that none can be "
                    "worked out. Withdrawn recognition and hidden thank-yous are not counted here.")])
    _section(sheet, _("Rows counted"), [_("What"), _("Number")], [[label, count] for label, count in summary.totals])
    _section(sheet, _("Coverage: people in each unit now who were recognised by name in the period"),
             [_("Unit"), _("People"), _("Recognised"), _("Not recognised"), _("Share recognised")],
             [[row.unit, row.staff, row.recognised, row.not_recognised, row.share] for row in summary.coverage])
    _section(sheet, _("Flow between units: rows by the giver's area (down) and the recipient's area (across)"),
             [_("From \\ to"), *summary.flow_areas],
             [[area, *cells] for area, cells in zip(summary.flow_areas, summary.flow, strict=True)])
    _section(sheet, _("Nomination outcomes and days from nomination to decision"),
             [_("Scheme"), *[state.label for state in OUTCOMES], _("All"), _("Median days to decision")],
             [[row.scheme, *row.counts, row.total, row.median_days] for row in summary.outcomes])


def _section(sheet, title: str, header: list[Any], rows: list[list[Any]]) -> None:
    sheet.append([])
    sheet.append(_heading(sheet, [title]))
    sheet.append(_heading(sheet, header))
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    if not rows:
        sheet.append([_("Nothing to count.")])


def _write_dictionary(workbook: Workbook, columns: list[Column]) -> None:
    sheet = workbook.create_sheet(_("Columns"))
    for letter, width in zip("ABCD", (24, 80, 32, 48), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(_heading(sheet, [_("Column"), _("What it means"), _("Example"), _("Empty when")]))
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in columns:
        cells = []
        for value in (column.name, str(column.meaning), column.example, str(column.empty)):
            cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
            cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
