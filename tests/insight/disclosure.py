"""An attacker for published tables of counts: what can be worked out from what is shown?

A published table is a grid of ``int | None`` (None: shown as "fewer than 5") whose last column holds the row totals
and last row the column totals (the corner: the grand total). Every row and every column then says "the cells add
up to the total". Solving those equations exactly (fractions, Gaussian elimination) finds every hidden cell that
only one value fits — the subtraction a reader could do — and the sum of the hidden cells of each line.
"""

from __future__ import annotations

from fractions import Fraction

Grid = list[list[int | None]]


def _equations(grid: Grid) -> tuple[list[tuple[int, int]], list[list[Fraction]]]:
    hidden = [(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if v is None]
    index = {cell: i for i, cell in enumerate(hidden)}
    rows, cols = len(grid), len(grid[0])
    lines = [[(r, c, 1) for c in range(cols - 1)] + [(r, cols - 1, -1)] for r in range(rows)]
    lines += [[(r, c, 1) for r in range(rows - 1)] + [(rows - 1, c, -1)] for c in range(cols)]
    equations = []
    for line in lines:
        coefficients = [Fraction(0)] * (len(hidden) + 1)
        for r, c, sign in line:
            if grid[r][c] is None:
                coefficients[index[(r, c)]] += sign
            else:
                coefficients[-1] -= sign * grid[r][c]  # move the known value to the right-hand side
        equations.append(coefficients)
    return hidden, equations


def _reduce(matrix: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    matrix = [row[:] for row in matrix]
    pivot_row = 0
    for col in range(width):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][col] != 0), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][col]
        matrix[pivot_row] = [v / lead for v in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)]
        pivot_row += 1
    return matrix


def recoverable(grid: Grid) -> dict[tuple[int, int], Fraction]:
    """Hidden cells whose value the shown numbers pin down exactly."""
    hidden, equations = _equations(grid)
    found = {}
    for row in _reduce(equations, len(hidden)):
        nonzero = [i for i, v in enumerate(row[:-1]) if v != 0]
        if len(nonzero) == 1:
            found[hidden[nonzero[0]]] = row[-1] / row[nonzero[0]]
    return found


def small_line_sums(grid: Grid) -> list[int]:
    """For each line with hidden cells in it, what its hidden cells add up to when that can be worked out by one
    subtraction (the line's total and all its other cells shown): the ones between 1 and 4 are disclosed."""
    rows, cols = len(grid), len(grid[0])
    lines = [[(r, c) for c in range(cols)] for r in range(rows)] + [[(r, c) for r in range(rows)]
                                                                     for c in range(cols)]
    sums = []
    for line in lines:
        *cells, total = line
        values = [grid[r][c] for r, c in cells]
        shown_total = grid[total[0]][total[1]]
        if shown_total is not None and None in values:
            sums.append(shown_total - sum(v for v in values if v is not None))
    return [s for s in sums if 0 < s < 5]


def published(counts) -> Grid:
    """What a reader sees of a table of ``Count`` values."""
    return [[None if cell.hidden else cell.value for cell in row] for row in counts]
