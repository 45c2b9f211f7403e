"""Tables of counts as people see them: small numbers hidden through portal/common/privacy.py (and nowhere else),
totals included in what is hidden, so no total or neighbouring cell gives a small number away by subtraction; and
the same table as a CSV download.

A table and its totals (a total row and a total column) are protected together by ``suppress_table``, so nothing
that is shown — a cell, a total, the grand total — lets a hidden small number be worked out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from flask import Response
from flask_babel import gettext as _

from portal.common.privacy import FEWER_THAN, Count, suppress_table
from portal.common.spreadsheets import as_download, safe_cell


@dataclass(frozen=True)
class CountTable:
    """Counts by row and column, with totals, ready to show: every cell a ``Count``."""

    caption: str
    row_heading: str
    rows: list[str]
    columns: list[str]
    cells: list[list[Count]]  # rows (+ the total row) × columns (+ the total column)
    row_totals: bool = True
    column_totals: bool = True
    notes: dict[int, str] = field(default_factory=dict)  # row index → an extra column's text (e.g. a median)
    notes_heading: str = ""

    @property
    def header(self) -> list[str]:
        extra = [self.notes_heading] if self.notes_heading else []
        return [self.row_heading, *self.columns, *([_("Total")] if self.row_totals else []), *extra]

    @property
    def body(self) -> list[tuple[str, list[Count], str]]:
        labels = [*self.rows, *([_("Total")] if self.column_totals else [])]
        return [(label, cells, self.notes.get(index, "")) for index, (label, cells)
                in enumerate(zip(labels, self.cells, strict=True))]

    def column(self, index: int) -> list[Count]:
        """One column's cells for the body rows (not the total row)."""
        return [row[index] for row in self.cells[:len(self.rows)]]

    @property
    def row_total_column(self) -> list[Count]:
        return self.column(len(self.columns)) if self.row_totals else self.column(0)

    @property
    def is_empty(self) -> bool:
        return all(cell.value == 0 for row in self.cells for cell in row)


def count_table(raw: list[list[int]], *, caption: str, row_heading: str, rows: list[str], columns: list[str],
                row_totals: bool = True, column_totals: bool = True, suppress: bool = True) -> CountTable:
    """Add the totals the table will show, then (for peer support) hide small cells and whatever would give them
    away. The table is protected as if both totals were shown (someone may know them from elsewhere), then the
    totals it does not show are left off. Recognition is not suppressed (``suppress=False``): it goes through the
    same table and CSV."""
    width = len(columns)
    body = [list(row) for row in raw]
    if suppress:
        full = suppress_table(body, with_totals=True) if body else [[Count(0)] * (width + 1)]
    else:
        full = [[Count(value) for value in [*row, sum(row)]] for row in body]
        full.append([Count(sum(row[c] for row in body)) for c in range(width)] + [Count(sum(map(sum, body)))])
    cells = [row if row_totals else row[:width] for row in full]
    if not (column_totals and body):
        cells = cells[:-1]
    return CountTable(caption=caption, row_heading=row_heading, rows=rows, columns=columns, cells=cells,
                      row_totals=row_totals, column_totals=column_totals and bool(raw))


def cell_for_file(count: Count) -> Any:
    """A plain number for a spreadsheet, or the words when it is hidden."""
    return str(FEWER_THAN) if count.hidden else count.value


def table_csv(table: CountTable, filename: str) -> Response:
    """The table as a CSV file: what the page shows, hidden cells as the same words. Aggregates are a few dozen
    rows, so the file is written at once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(text) for text in table.header])
    for label, cells, note in table.body:
        extra = [safe_cell(note)] if table.notes_heading else []
        writer.writerow([safe_cell(label), *(cell_for_file(cell) for cell in cells), *extra])
    return as_download(Response(buffer.getvalue(), mimetype="text/csv"), filename)
