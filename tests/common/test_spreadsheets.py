"""Downloads that may open in a spreadsheet: no cell runs as a formula; any name can be the file's name."""

import pytest
from flask import Response

from portal.common.spreadsheets import as_download, safe_cell


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil\")", "+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"])
def test_text_a_spreadsheet_would_run_is_kept_as_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Kind words", "", "A-ha", 42, -3, None])
def test_everything_else_passes_unchanged(value):
    assert safe_cell(value) == value


def test_a_welsh_name_with_a_quote_travels_in_the_header_and_the_header_stays_latin_1():
    response = as_download(Response("x"), 'recognition-siân-"ŵ".csv')
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # what a WSGI server must be able to send
    assert header == ("attachment; filename=recognition-sian-w.csv; "
                      "filename*=UTF-8''recognition-si%C3%A2n-%22%C5%B5%22.csv")


def test_a_plain_name_is_left_plain():
    assert as_download(Response("x"), "plain.csv").headers["Content-Disposition"] == "attachment; filename=plain.csv"
