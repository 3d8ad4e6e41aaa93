"""Import files made to hurt: zip bombs, huge cells, endless rows, XML entities, stale sizes."""

from __future__ import annotations

import pytest
from registration.adapters.import_file import (
    MAX_CELL_CHARS,
    ImportFileError,
    ImportLimits,
    parse_import_file,
)

from tests.support import xlsx_files as x
from tests.unit.registration.examples import WOMAN_NIK

HEADER = ["nama_pemilik", "nik", "no_hp", "nama_usaha", "sektor", "kabupaten_kota", "kecamatan"]
HEADER += ["modal"]


def _valid_row(serial: int) -> list[str]:
    nik = WOMAN_NIK[:12] + f"{serial:04d}"
    phone = f"0812345678{serial:02d}"
    return ["Siti", nik, phone, f"Usaha {serial}", "kuliner", "Kota Batu", "Batu", "1000000"]


def test_a_workbook_that_inflates_past_the_limit_is_refused_before_inflating():
    bomb = x.with_sheet(x.huge_cell_sheet(HEADER, 64 * 1_048_576))
    assert len(bomb) < 200_000  # a small upload

    with pytest.raises(ImportFileError, match=r"unpacks to .* more than the 50000000 accepted"):
        parse_import_file(bomb, "umkm.xlsx", centre_id="batu")


def test_a_cell_longer_than_any_field_rejects_its_row_without_the_value():
    data = x.with_sheet(x.huge_cell_sheet(HEADER, 2 * MAX_CELL_CHARS))

    [row] = parse_import_file(data, "umkm.xlsx", centre_id="batu")

    assert row.command is None
    assert row.errors == [("owner_name", f"owner_name is longer than {MAX_CELL_CHARS} characters")]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_file_with_more_rows_than_the_limit_is_refused_as_a_whole(kind: str):
    rows = [HEADER] + [["", "1", "2"] for _ in range(60)]
    if kind == "xlsx":
        data = x.with_sheet(x.sheet_xml(rows))
    else:
        data = "\n".join(",".join(row) for row in rows).encode()

    with pytest.raises(ImportFileError, match="more than 50 rows after the header"):
        parse_import_file(data, f"umkm.{kind}", centre_id="batu", limits=ImportLimits(50))


def test_a_far_away_row_or_column_does_not_blow_up_the_read():
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = b"".join(x.sheet_xml([HEADER])).replace(b"</sheetData>", far + b"</sheetData>")

    with pytest.raises(ImportFileError, match="more than 20000 rows"):
        parse_import_file(x.with_sheet([sheet]), "umkm.xlsx", centre_id="batu")


def test_rows_past_a_stale_dimension_marker_are_all_read():
    rows = [HEADER] + [_valid_row(serial) for serial in range(1, 6)]
    data = x.with_sheet(x.sheet_xml(rows, dimension="A1:H2"))

    parsed = parse_import_file(data, "umkm.xlsx", centre_id="batu")

    assert [row.row_number for row in parsed] == [2, 3, 4, 5, 6]
    assert all(row.command is not None for row in parsed), [row.errors for row in parsed]


def test_columns_past_a_stale_dimension_marker_are_read_too():
    rows = [[*HEADER, "plut"], [*_valid_row(1), "batu"]]
    data = x.with_sheet(x.sheet_xml(rows, dimension="A1:B2"))

    [row] = parse_import_file(data, "umkm.xlsx")

    assert row.command is not None and row.command.centre_id == "batu"


@pytest.mark.parametrize(
    ("prolog", "reference"), [(x.XXE_PROLOG, b"&xxe;"), (x.LAUGHS_PROLOG, b"&lol9;")]
)
def test_a_workbook_declaring_xml_entities_is_refused_with_a_reason(
    prolog: bytes, reference: bytes
):
    rows = [HEADER, [reference, *_valid_row(1)[1:]]]
    data = x.with_sheet(x.sheet_xml(rows, prolog=prolog))

    with pytest.raises(ImportFileError, match="declares XML entities"):
        parse_import_file(data, "umkm.xlsx", centre_id="batu")


def test_a_workbook_with_broken_xml_is_refused_not_crashed_on():
    data = x.with_sheet([b"<worksheet><sheetData><row r='1'><c r='A1'"])

    with pytest.raises(ImportFileError, match="not a readable XLSX"):
        parse_import_file(data, "umkm.xlsx", centre_id="batu")


def test_a_number_too_big_for_the_store_rejects_only_its_row():
    rows = [
        HEADER,
        _valid_row(1),
        [*_valid_row(2)[:-1], str(2**64)],
        [*_valid_row(3)[:-1], "9" * 5000],
    ]
    data = x.with_sheet(x.sheet_xml(rows))

    first, huge, endless = parse_import_file(data, "umkm.xlsx", centre_id="batu")

    assert first.command is not None
    assert huge.errors == [("capital", "Input should be less than or equal to 1000000000000000")]
    assert [field for field, _ in endless.errors] == ["capital"]
