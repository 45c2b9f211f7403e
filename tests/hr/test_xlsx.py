"""The spreadsheet export: it opens with openpyxl and in LibreOffice, holds the same rows as the CSV with dates as
dates, runs no formula, and its Summary sheet counts coverage, unique givers, the flow between units and nomination
outcomes — every count under 5 shown as "fewer than 5"."""

import io
import os
import shutil
import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook

from portal.awards.models import NominationState
from portal.extensions import db
from portal.hr.columns import COLUMNS
from tests.awards.factories import make_scheme
from tests.factories import UnitFactory, UserFactory
from tests.hr.factories import PRIVATE_WORDS, decided_nomination, org, thank_at

pytestmark = pytest.mark.usefixtures("app_ctx")
PLAIN = [column.name for column in COLUMNS if not column.message_only]
XLSX = "/hr/exports/recognition.xlsx"


@pytest.fixture
def o():
    return org()


def workbook(client, **params):
    response = client.get(XLSX, query_string=params)
    assert response.status_code == 200, response.get_data()[:500]
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(response.data)), response.data


def section(sheet, title: str) -> dict[str, list]:
    """A table of the Summary sheet, as {first cell: the rest of the row}, header row included."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    start = next(i for i, row in enumerate(rows) if row and row[0] == title)
    found = {}
    for row in rows[start + 1:]:
        if not any(cell is not None for cell in row):
            break
        found[row[0]] = row[1:]
    return found


def test_three_sheets_the_rows_as_in_the_csv_and_dates_as_dates(as_user, o):
    post = thank_at(o.giver, o.tom, o.sam, when="2025-07-01 09:30", values=("Listened",))
    book, _data = workbook(as_user(o.hr))
    assert book.sheetnames == ["Summary", "Recognition", "Columns"]
    rows = list(book["Recognition"].iter_rows(values_only=True))
    assert list(rows[0]) == PLAIN
    tom = dict(zip(PLAIN, rows[1], strict=True))
    assert tom["recognition_id"] == f"T-{post.id}" and tom["recipient"] == "Tom Byrne"
    assert tom["given_at"] == datetime(2025, 7, 1, 10, 30)  # London wall-clock time (BST)
    assert tom["given_on"] == datetime(2025, 7, 1)
    assert len(rows) == 3
    dictionary = list(book["Columns"].iter_rows(values_only=True))
    assert [row[0] for row in dictionary[1:]] == PLAIN


@pytest.mark.parametrize("formula", ["=1+2", "+SUM(A1)", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://evil.example\")"])
def test_no_cell_is_a_formula(as_user, o, formula):
    author = UserFactory(unit=o.north, display_name=f"{formula} Smith", staff_number=formula)
    thank_at(author, o.tom, when="2025-03-14 10:00", words=f"{formula} and the rest of what they did")
    o.trust.name = f"{formula} Trust"
    db.session.flush()
    book, _data = workbook(as_user(o.hr), message="1")
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    row = dict(zip(PLAIN + ["message", "message_withheld"],
                   [cell.value for cell in list(book["Recognition"].iter_rows())[1]], strict=True))
    assert row["giver"] == f"'{formula} Smith" and row["giver_staff_number"] == f"'{formula}"
    assert row["giver_unit"].startswith(f"'{formula} Trust") and row["message"].startswith(f"'{formula}")


def test_characters_xml_cannot_carry_are_dropped_not_fatal(as_user, o):
    thank_at(UserFactory(unit=o.north, display_name="Bell\x07 Ringer"), o.tom, when="2025-03-14 10:00")
    book, _data = workbook(as_user(o.hr))
    assert list(book["Recognition"].iter_rows(values_only=True))[1][PLAIN.index("giver")] == "Bell Ringer"


def test_private_words_stay_out_of_the_spreadsheet(as_user, o):
    thank_at(o.sam, o.tom, when="2025-03-14 10:00", visibility="private", words=PRIVATE_WORDS)
    _book, data = workbook(as_user(o.hr), message="1")
    book = load_workbook(io.BytesIO(data))
    values = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(PRIVATE_WORDS[:30] in value for value in values)
    assert "private" in values


def test_the_summary_counts_coverage_givers_and_flow_for_a_unit(as_user, o):
    people = [o.giver, o.tom] + [UserFactory(unit=o.north) for _ in range(8)]  # ten people in North team
    for person in people[1:6]:
        thank_at(o.giver, person, when="2025-03-14 10:00")
    thank_at(o.giver, o.sam, when="2025-03-14 11:00")  # South team: outside the unit exported
    summary = workbook(as_user(o.hr), unit=o.north.id)[0]["Summary"]
    about = section(summary, "Recognition export")
    assert about["Unit"] == ["Riverside Trust / PALS / North team and every unit beneath it"]
    totals = section(summary, "Rows counted")
    assert totals["Thank-yous"] == [5] and totals["People recognised"] == [5]
    assert totals["Unique givers"] == ["fewer than 5"]
    coverage = section(summary, "Coverage: people in each unit now who were recognised by name in the period")
    assert coverage["Riverside Trust / PALS / North team"][:4] == [10, 5, 5, "50%"]
    flow = section(summary, "Flow between units: rows by the giver's area (down) and the recipient's area (across)")
    assert flow == {"From \\ to": ["Riverside Trust / PALS / North team"],
                    "Riverside Trust / PALS / North team": [5]}


def test_small_coverage_is_fewer_than_5_and_cannot_be_worked_out(as_user, o):
    for _ in range(8):
        UserFactory(unit=o.north)
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    summary = workbook(as_user(o.hr), unit=o.north.id)[0]["Summary"]
    coverage = section(summary, "Coverage: people in each unit now who were recognised by name in the period")
    # One of ten recognised: with the ten shown, the nine not recognised would give the one away, so both hide.
    # (The share is left empty: trailing empty cells are not read back.)
    assert coverage["Riverside Trust / PALS / North team"] == [10, "fewer than 5", "fewer than 5"]


def test_nomination_outcomes_and_the_median_days_to_decision(as_user, o):
    panel = UserFactory(panel=True, unit=o.trust)
    scheme = make_scheme(panel=[panel], consent=False, name="Kindness Awards")
    for outcome, how_many in ((NominationState.AWARDED, 6), (NominationState.NOT_AWARDED, 5),
                              (NominationState.CONVERTED, 1)):
        for _ in range(how_many):
            decided_nomination(scheme, nominator=o.giver, nominee=UserFactory(unit=o.north), outcome=outcome,
                               panel=panel)
    summary = workbook(as_user(o.hr), type="nomination")[0]["Summary"]
    outcomes = section(summary, "Nomination outcomes and days from nomination to decision")
    kindness = dict(zip(outcomes["Scheme"], outcomes["Kindness Awards"], strict=True))
    # The one converted is hidden, and so is the next smallest (5), or the total of 12 would give it away.
    assert (kindness["Awarded"], kindness["Not awarded"], kindness["All"]) == (6, "fewer than 5", 12)
    assert kindness["Turned into a thank-you"] == "fewer than 5" and kindness["Withdrawn"] == 0
    assert kindness["Median days to decision"] == "0"


def test_a_unit_with_a_deeper_tree_flows_by_its_areas(as_user, o):
    desk = UnitFactory(name="Front desk", parent=o.north)
    people = [UserFactory(unit=desk) for _ in range(5)]
    for person in people:
        thank_at(o.tom, person, when="2025-03-14 10:00")  # North team (itself) → its Front desk
    summary = workbook(as_user(o.hr), unit=o.pals.id)[0]["Summary"]
    flow = section(summary, "Flow between units: rows by the giver's area (down) and the recipient's area (across)")
    assert flow["From \\ to"] == ["Riverside Trust / PALS / North team"]
    assert flow["Riverside Trust / PALS / North team"] == [5]


def test_libreoffice_converts_the_spreadsheet_without_error(as_user, o, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice is not installed (.ci/run installs it)")
    for day in range(1, 8):
        thank_at(o.giver, o.tom, o.sam, when=f"2025-03-{day:02d} 10:00", words="=1+2 then Gwenllïan Ŵyn")
    _book, data = workbook(as_user(o.hr), message="1")
    source = tmp_path / "export.xlsx"
    source.write_bytes(data)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
         "--convert-to", "ods", "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, text=True, timeout=240, check=False)
    converted = tmp_path / "out" / "export.ods"
    assert result.returncode == 0 and converted.exists() and converted.stat().st_size > 1000, result.stderr
    # And back to CSV (the first sheet, the summary): LibreOffice read the cells, not just the zip.
    back = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
         "--convert-to", "csv", "--outdir", str(tmp_path / "csv"), str(converted)],
        capture_output=True, text=True, timeout=240, check=False)
    text = (tmp_path / "csv" / "export.csv").read_text(encoding="utf-8", errors="replace")
    assert back.returncode == 0 and "Recognition export" in text and "Unique givers" in text, back.stderr
