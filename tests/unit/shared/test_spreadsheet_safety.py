"""Formula-looking text is neutralised for spreadsheet exports; other values are untouched."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from plut_shared.spreadsheet_safety import spreadsheet_cell, spreadsheet_row


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","klik")',
        "=cmd|' /C calc'!A0",
        "+62 812",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_that_starts_a_formula_gets_a_leading_apostrophe(text: str):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Siti Rahayu", "UD 2=3", "", None, -1500, 2.5, date(2026, 1, 2)])
def test_other_values_are_left_as_they_are(value: object):
    assert spreadsheet_cell(value) == value


def test_a_neutralised_row_reaches_csv_and_xlsx_as_text_not_a_formula():
    row = spreadsheet_row(["=1+1", "Batik Siti", -5])
    text = io.StringIO()
    csv.writer(text).writerow(row)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(row)
    saved = io.BytesIO()
    book.save(saved)

    cell = load_workbook(io.BytesIO(saved.getvalue())).active["A1"]  # type: ignore[index]

    assert text.getvalue() == "'=1+1,Batik Siti,-5\r\n"
    assert (cell.value, cell.data_type) == ("'=1+1", "s")
