"""Small-number suppression (portal/common/privacy.py), as insight uses it and on its own, checked by an attacker
(tests/insight/disclosure.py) who solves the published table's equations exactly: no hidden small number may be
worked out, by one subtraction or by any combination of rows and columns.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.common.privacy import Count, suppress_table, suppressed, suppressed_total
from portal.insight.figures import count_table
from tests.insight.disclosure import published, recoverable, small_line_sums

PURE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def table(raw, **kwargs):
    return count_table(raw, caption="c", row_heading="r", rows=[str(i) for i in range(len(raw))],
                       columns=[str(i) for i in range(len(raw[0]))], **kwargs)


def small_recovered(grid) -> dict:
    return {cell: value for cell, value in recoverable(grid).items() if 0 < value < 5}


def test_a_count_on_its_own_is_hidden_from_1_to_4():
    assert [suppressed(n).value for n in range(7)] == [0, None, None, None, None, 5, 6]
    assert str(suppressed(3)) == "fewer than 5"
    assert str(suppressed(12345)) == "12,345"
    assert Count(None).hidden and not Count(0).hidden


def test_a_small_cell_beside_a_total_takes_a_neighbour_with_it():
    """The subtraction case: a row of 3, 10, 12 with its total 25 would give the 3 away as 25 - 10 - 12."""
    cells = suppress_table([[3, 10, 12, 25]])
    assert [c.hidden for c in cells[0]] == [True, True, False, False]  # the smallest other cell goes too


def test_insight_tables_hide_enough_that_no_total_gives_a_small_cell_away():
    shown = table([[3, 10, 12], [8, 9, 20]])
    grid = published(shown.cells)
    assert grid[0][0] is None
    assert small_recovered(grid) == {}
    assert all(sum(v is None for v in line) != 1 for line in [*grid, *zip(*grid, strict=True)])


def test_a_total_that_is_itself_small_is_hidden_with_its_neighbour():
    """One month with 2 sessions and nothing else: the month's total is 2 as well, and the grand total must not
    give it away by subtraction from the other months."""
    grid = published(table([[2, 0], [0, 30], [6, 7]]).cells)
    assert grid[0][2] is None
    assert small_recovered(grid) == {}


def test_recognition_tables_are_shown_as_they_are():
    shown = table([[3, 1]], suppress=False)
    assert [c.value for c in shown.cells[0]] == [3, 1, 4]


counts = st.one_of(st.integers(0, 4), st.integers(0, 40))


@PURE
@given(st.integers(1, 6).flatmap(lambda width: st.lists(st.lists(counts, min_size=width, max_size=width),
                                                         min_size=1, max_size=7)))
def test_no_single_subtraction_ever_recovers_a_hidden_cell(raw):
    """In every line (rows, columns, the total row and column), hidden cells come in twos or more: nobody can take
    the others from a total and get a hidden one."""
    grid = published(table(raw).cells)
    for line in [*grid, *zip(*grid, strict=True)]:
        assert sum(value is None for value in line) != 1, grid
    for r, row in enumerate(raw):
        for c, value in enumerate(row):
            if 0 < value < 5:
                assert grid[r][c] is None


# --- the cases a "no line with one hidden cell" rule alone let out ---------------------------------------------

def test_a_grand_total_does_not_give_a_hidden_row_total_away():
    """Rows [3, 0] and [0, 10]: with only the 3 hidden, the row totals "fewer than 5" and 10 and the grand total 13
    give the 3 back (13 - 10). Protected with its totals, the table hides enough."""
    cells = suppress_table([[3, 0], [0, 10]], with_totals=True)
    assert len(cells) == 3 and all(len(row) == 3 for row in cells)
    assert small_recovered(published(cells)) == {}
    assert str(suppressed_total([3, 0])) == "fewer than 5"  # a total shown on its own


def test_hidden_cells_never_add_up_to_a_small_number_anyone_can_work_out():
    """Two small cells in one row (1 and 2) hidden together and nothing else: the row total 13 minus the visible 10
    would tell everyone the two add up to 3 — a small number, by subtraction."""
    grid = published(table([[1, 2, 10], [6, 7, 8]]).cells)
    assert small_line_sums(grid) == []
    assert small_recovered(grid) == {}


def test_no_hidden_cell_can_be_solved_for_from_the_totals():
    """Small cells in two 2x2 blocks joined by one more small cell: every row and column has two or more hidden
    cells, yet (rows 0 and 1) minus (columns 0 and 1) would isolate the joining cell, 3."""
    big = 20
    raw = [[1, 2, big, big], [2, 1, 3, big], [big, big, 2, 1], [big, big, 1, 2]]
    grid = published(table(raw).cells)
    assert small_recovered(grid) == {}


def test_a_table_without_its_totals_is_protected_as_if_they_were_known():
    cells = suppress_table([[3, 10, 12]])
    assert len(cells[0]) == 3 and cells[0][0].hidden and sum(c.hidden for c in cells[0]) >= 2


def test_tables_that_leave_totals_off_are_still_protected_with_them():
    """Mentoring shows a total row but no total column; the hidden cells are chosen as if both were known."""
    shown = table([[3, 9], [8, 7]], row_totals=False)
    assert [len(row) for row in shown.cells] == [2, 2, 2]
    full = published(suppress_table([[3, 9], [8, 7]], with_totals=True))
    assert small_recovered(full) == {}
    assert [c.hidden for c in shown.cells[0]] == [v is None for v in full[0][:2]]


@PURE
@given(st.integers(1, 5).flatmap(lambda width: st.lists(st.lists(counts, min_size=width, max_size=width),
                                                         min_size=1, max_size=6)))
def test_no_combination_of_rows_and_columns_recovers_a_small_number(raw):
    grid = published(table(raw).cells)
    assert small_recovered(grid) == {}, grid
    assert small_line_sums(grid) == [], grid
