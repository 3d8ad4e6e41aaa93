"""What an upload is told at once (`check_import_file`), and what only its job finds out."""

from __future__ import annotations

import pytest
from registration.adapters.import_file import ImportFileError, ImportLimits, check_import_file

from tests.support import xlsx_files as x
from tests.unit.registration.test_registration_import_hostile_files import HEADER, _valid_row


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode()


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "umkm.csv", "the file is empty"),
        (b"\xff\xfe not text", "umkm.csv", "not UTF-8"),
        (_csv([["nama", "alamat"], ["Ani", "Batu"]]), "umkm.csv", "missing required columns"),
        (b"PK\x03\x04garbage", "umkm.xlsx", "not a readable XLSX"),
        (b"anything", "umkm.xls", "old .xls workbooks"),
        (x.with_sheet(x.huge_cell_sheet(HEADER, 64 * 1_048_576)), "umkm.xlsx", "unpacks to"),
        (x.workbook([["nama", "alamat"]]), "umkm.xlsx", "missing required columns"),
    ],
)
def test_a_file_that_cannot_be_read_at_all_is_refused_at_once(data: bytes, name: str, reason: str):
    with pytest.raises(ImportFileError, match=reason):
        check_import_file(data, name, centre_id="batu")


def test_a_csv_past_the_row_limit_is_refused_at_once():
    rows = [HEADER] + [["", "1", "2"] for _ in range(60)]

    with pytest.raises(ImportFileError, match="more than 50 rows after the header"):
        check_import_file(_csv(rows), "umkm.csv", centre_id="batu", limits=ImportLimits(50))


def test_bad_rows_pass_the_check_since_the_job_reports_them_one_by_one():
    rows = [HEADER, _valid_row(1), ["", "123", "0"]]

    check_import_file(_csv(rows), "umkm.csv", centre_id="batu")
    check_import_file(x.workbook(rows), "umkm.xlsx", centre_id="batu")


def test_a_workbooks_rows_are_left_to_its_job_which_finds_a_row_limit_there():
    # Reading every row of a workbook costs as much as parsing it: the job does that,
    # and ends failed with the same reason (see `bulk_import`).
    rows = [HEADER] + [["", "1", "2"] for _ in range(60)]

    check_import_file(
        x.with_sheet(x.sheet_xml(rows)), "umkm.xlsx", centre_id="batu", limits=ImportLimits(50)
    )
