"""Small-number suppression for figures HR and managers see: a count under five could point at a person, so it is
shown as "fewer than 5" — in pages, charts, CSV and spreadsheets alike, since every one of them takes its numbers
from here.

A total or a neighbouring cell can give a hidden number away by subtraction (a row total of 12 with visible cells
of 4 + 5 reveals a hidden 3). ``suppress_table`` therefore treats a table as published with its row and column
totals (whether or not they are shown: someone may know them) and hides more cells until none of these works:
- a line (row or column, with its total) with exactly one hidden cell: the total minus the others gives it;
- a line whose hidden cells add up to 1-4, worked out from its total: "the two hidden ones make 3";
- any combination of rows and columns that pins one hidden cell down (two blocks of hidden cells joined by one
  more: rows minus columns isolates it) — found by solving the table's equations exactly.
Each time, the smallest visible count in the way is hidden too (the least information lost), and zeros stay shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flask_babel import lazy_gettext as _l

SMALL_NUMBER = 5
FEWER_THAN = _l("fewer than 5")


@dataclass(frozen=True)
class Count:
    """A count as people may see it: ``value`` when it is safe to show, else None ("fewer than 5")."""

    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return str(FEWER_THAN) if self.value is None else f"{self.value:,}"


def suppressed(count: int) -> Count:
    """One count on its own (not part of a table whose totals are shown)."""
    return Count(None if 0 < count < SMALL_NUMBER else count)


def suppress_table(rows: list[list[int]], *, with_totals: bool = False) -> list[list[Count]]:
    """A table of counts with small cells hidden, and enough others hidden that no hidden small number can be
    worked out from the cells shown and the row and column totals.

    With ``with_totals`` the result has a total column and a total row added (the corner is the grand total),
    protected together with the cells, ready to show; without, it has the shape of ``rows``."""
    width = max((len(row) for row in rows), default=0)
    if not rows or width == 0:
        return [[] for _row in rows] + ([[Count(0)]] if with_totals else [])
    body = [[*row, *[0] * (width - len(row))] for row in rows]
    table = [[*row, sum(row)] for row in body]
    table.append([sum(row[c] for row in table) for c in range(width + 1)])
    hidden = _protect(table)
    cells = [[Count(None if hidden[r][c] else value) for c, value in enumerate(row)] for r, row in enumerate(table)]
    if with_totals:
        return cells
    return [cells[r][:len(row)] for r, row in enumerate(rows)]


def suppressed_total(cells: list[int]) -> Count:
    """A total shown on its own, hidden when small like any count. A total shown beside its parts is not safe this
    way (the grand total minus the visible row totals can give a hidden one back): show such tables through
    ``suppress_table(..., with_totals=True)``."""
    return suppressed(sum(cells))


# --- how ---------------------------------------------------------------------------------------------------------

Cell = tuple[int, int]


def _lines(rows: int, columns: int) -> list[list[Cell]]:
    """Every row and column of a table whose last row and column are totals; each line's last cell is its total."""
    return ([[(r, c) for c in range(columns)] for r in range(rows)]
            + [[(r, c) for r in range(rows)] for c in range(columns)])


def _protect(table: list[list[int]]) -> list[list[bool]]:
    rows, columns = len(table), len(table[0])
    hidden = [[0 < value < SMALL_NUMBER for value in row] for row in table]
    lines = _lines(rows, columns)

    def hide_one_of(candidates: list[Cell]) -> bool:
        """Hide the smallest visible non-zero cell among ``candidates`` (inner cells before totals)."""
        visible = [(table[r][c], r == rows - 1 or c == columns - 1, r, c) for r, c in candidates
                   if not hidden[r][c] and table[r][c] > 0]
        if not visible:
            return False
        _value, _is_total, r, c = min(visible, key=lambda item: (item[1], item[0], item[2], item[3]))
        hidden[r][c] = True
        return True

    while True:
        changed = False
        for line in lines:
            *parts, total = line
            secret = [cell for cell in line if hidden[cell[0]][cell[1]]]
            if not secret:
                continue
            shown_parts = sum(table[r][c] for r, c in parts if not hidden[r][c])
            small_sum = not hidden[total[0]][total[1]] and 0 < table[total[0]][total[1]] - shown_parts < SMALL_NUMBER
            if len(secret) == 1 or small_sum:
                changed = hide_one_of(line) or changed
        if changed:
            continue
        pinned = [(r, c) for r, c in _pinned(table, hidden) if 0 < table[r][c] < SMALL_NUMBER]
        if not pinned:
            return hidden
        for r, c in pinned:
            neighbours = [(r, k) for k in range(columns)] + [(k, c) for k in range(rows)]
            if not hide_one_of(neighbours) and not hide_one_of([(i, j) for i in range(rows) for j in range(columns)]):
                return hidden  # everything non-zero is hidden already


def _pinned(table: list[list[int]], hidden: list[list[bool]]) -> list[Cell]:
    """Hidden cells whose value the visible cells and the line equations (parts add up to the total) fix exactly:
    Gauss-Jordan elimination over fractions, a pivot row with a single unknown left names one."""
    unknowns = [(r, c) for r, row in enumerate(hidden) for c, is_hidden in enumerate(row) if is_hidden]
    if not unknowns:
        return []
    index = {cell: i for i, cell in enumerate(unknowns)}
    matrix = []
    for line in _lines(len(table), len(table[0])):
        *parts, total = line
        equation = [Fraction(0)] * (len(unknowns) + 1)
        for (r, c), sign in [*((cell, 1) for cell in parts), (total, -1)]:
            if hidden[r][c]:
                equation[index[(r, c)]] += sign
            else:
                equation[-1] -= sign * table[r][c]
        if any(equation[:-1]):
            matrix.append(equation)
    pivot = 0
    for column in range(len(unknowns)):
        found = next((i for i in range(pivot, len(matrix)) if matrix[i][column] != 0), None)
        if found is None:
            continue
        matrix[pivot], matrix[found] = matrix[found], matrix[pivot]
        lead = matrix[pivot][column]
        matrix[pivot] = [value / lead for value in matrix[pivot]]
        for i in range(len(matrix)):
            if i != pivot and matrix[i][column] != 0:
                factor = matrix[i][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[pivot], strict=True)]
        pivot += 1
        if pivot == len(matrix):
            break
    found_cells = []
    for equation in matrix[:pivot]:
        nonzero = [i for i, value in enumerate(equation[:-1]) if value != 0]
        if len(nonzero) == 1:
            found_cells.append(unknowns[nonzero[0]])
    return found_cells
