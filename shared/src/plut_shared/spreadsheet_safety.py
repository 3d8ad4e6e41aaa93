"""Cells safe to open in a spreadsheet: text that looks like a formula stays text.

Names, sectors and addresses are stored as people typed them, `=HYPERLINK(...)`
included. No service serves CSV or XLSX yet; every export that does (a list
of enterprises, an import report as CSV) must pass each text cell through
`spreadsheet_cell`, or Excel and LibreOffice may run it as a formula (OWASP
"CSV injection"). The leading apostrophe is the spreadsheets' own way of
saying "this is text" and is not shown in the cell.
"""

from __future__ import annotations

from collections.abc import Iterable

# What starts a formula, or a DDE call, in Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """`value` for a CSV or XLSX cell: formula-looking text gets a leading `'`.

    Numbers, dates and None are returned as they are: they cannot be formulas,
    and a negative amount must stay a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[object]) -> list[object]:
    return [spreadsheet_cell(value) for value in values]
