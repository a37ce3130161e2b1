"""The one guard against formula injection that every CSV export of the back office uses."""

import pytest

from amtsweg.core.spreadsheet import csv_bytes, csv_response, spreadsheet_text


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-"])
def test_a_cell_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert spreadsheet_text(text) == "'" + text


@pytest.mark.parametrize("text", ["-6,00", "+12.50", "-3", "Müller", "a=b", ""])
def test_plain_numbers_and_ordinary_text_stay_as_they_are(text):
    assert spreadsheet_text(text) == text


def test_none_is_an_empty_cell():
    assert spreadsheet_text(None) == ""


def test_csv_has_a_bom_semicolons_crlf_and_guards_only_text():
    data = csv_bytes([["=1+1", 7, "ok"]], header=["A", "B", "C"])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "A;B;C\r\n'=1+1;7;ok\r\n"


def test_the_download_is_named_and_not_sniffed():
    response = csv_response([["x"]], header=["H"], filename="export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
