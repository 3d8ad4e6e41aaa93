from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook
from registration.adapters.import_file import ImportFileError, ImportRow, parse_import_file

from tests.unit.registration.examples import MAN_NIK, WOMAN_NIK

OTHER_NIK = "3516124107900003"  # Kabupaten Mojokerto, a woman born 1 July 1990

# Excel in an Indonesian locale: BOM, `;`, Indonesian headers, amounts with dots.
MESSY_CSV = "\n".join(
    [
        "\ufeffNama Pemilik;NIK;No HP;Nama Usaha;Sektor;Kabupaten/Kota;Kecamatan;Modal;Omzet;"
        "Setuju Pembiayaan",
        f"Budi Santoso;{MAN_NIK};0812-3456-7890;Sepatu Budi;alas kaki;Kota Mojokerto;"
        "Magersari;Rp 250.000.000;1.200.000.000;ya",
        f"Siti Rahayu;{WOMAN_NIK};+62 0813 1111 2222;Batik Siti;batik;Kota Mojokerto;"
        "Kranggan;300000000;;tidak",
        "Eko Prasetyo;3576013102850001;6281399998888;Keripik Eko;kuliner;Kota Mojokerto;"
        "Kranggan;50000000;;",
        ";;;;;;;;;",
        f"Budi Kembar;{MAN_NIK};0857 7777 6666;Sandal Budi;alas kaki;Kota Mojokerto;"
        "Magersari;10000000;;",
        f"Ani Lestari;{OTHER_NIK};(0812) 3456-7890;Kue Ani;kuliner;Kabupaten Mojokerto;"
        "Sooko;20000000;;",
    ]
).encode("utf-8")


def _by_number(rows: list[ImportRow]) -> dict[int, ImportRow]:
    return {row.row_number: row for row in rows}


def test_a_messy_csv_gives_one_result_per_row_numbered_like_the_spreadsheet():
    rows = _by_number(parse_import_file(MESSY_CSV, "umkm.csv", centre_id="kota-mojokerto"))
    assert sorted(rows) == [2, 3, 4, 5, 6, 7]
    first = rows[2].command
    assert first is not None
    assert (first.phone, first.capital, first.annual_sales) == (
        "+6281234567890",
        250_000_000,
        1_200_000_000,
    )
    assert first.consent_financing_partners is True
    assert first.centre_id == "kota-mojokerto"
    assert rows[3].command is not None and rows[3].command.phone == "+6281311112222"


def test_a_bad_nik_is_reported_on_its_row_without_the_value():
    row = _by_number(parse_import_file(MESSY_CSV, "umkm.csv", centre_id="kota-mojokerto"))[4]
    assert row.command is None
    [(field, message)] = row.errors
    assert field == "nik" and "birth date" in message
    assert "3576013102850001" not in message


def test_an_empty_row_is_skipped_not_an_error():
    row = _by_number(parse_import_file(MESSY_CSV, "umkm.csv", centre_id="kota-mojokerto"))[5]
    assert (row.skipped, row.command, row.errors) == (True, None, [])


def test_a_nik_or_phone_seen_earlier_in_the_file_is_an_error_on_the_later_row():
    rows = _by_number(parse_import_file(MESSY_CSV, "umkm.csv", centre_id="kota-mojokerto"))
    assert rows[6].errors == [("nik", "nik duplicates row 2 in this file")]
    assert rows[7].errors == [("phone", "phone duplicates row 2 in this file")]


def test_a_row_for_another_centre_is_refused_in_a_centre_s_import():
    data = (
        "owner_name,nik,phone,business_name,sector,regency_city,district,capital,centre_id\n"
        f"Budi,{MAN_NIK},081234567890,Sepatu Budi,alas kaki,Kota Batu,Batu,1000,batu\n"
    ).encode()
    [row] = parse_import_file(data, "umkm.csv", centre_id="kota-mojokerto")
    assert row.errors == [("centre_id", "row belongs to another PLUT centre")]
    [row] = parse_import_file(data, "umkm.csv")
    assert row.command is not None and row.command.centre_id == "batu"


def test_a_file_without_a_required_column_is_refused_as_a_whole():
    with pytest.raises(ImportFileError, match="missing required columns: nik, centre_id"):
        parse_import_file(b"owner_name,phone,business_name,sector,regency_city,district,capital\n")


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(ImportFileError, match="UTF-8"):
        parse_import_file("nama_pemilik;nik\nJosé;1\n".encode("latin-1"), "umkm.csv")


def test_an_old_xls_workbook_is_refused_with_a_hint():
    with pytest.raises(ImportFileError, match=r"save as \.xlsx or \.csv"):
        parse_import_file(b"\xd0\xcf\x11\xe0", "umkm.xls")


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_with_numbers_in_number_cells_is_read():
    header = ["nama_pemilik", "nik", "no_hp", "nama_usaha", "sektor", "kabupaten_kota"]
    header += ["kecamatan", "modal", "omzet", "tenaga_kerja", "email", "kanal"]
    data = _xlsx(
        [
            header,
            ["Siti Rahayu", int(WOMAN_NIK), 81234567890, "Batik Siti", "batik",
             "Kota Batu", "Batu", 750_000_000, 2_500_000_000.0, 4, "siti@example.id", "Email"],
            [None] * len(header),
            ["Budi", MAN_NIK, "0812", "Sepatu Budi", "alas kaki", "Kota Batu", "Batu",
             "banyak", None, None, None, None],
        ]
    )  # fmt: skip
    first, empty, bad = parse_import_file(data, "umkm.xlsx", centre_id="batu")
    assert first.command is not None
    assert first.command.nik == WOMAN_NIK
    assert first.command.phone == "+6281234567890"
    assert (first.command.capital, first.command.annual_sales) == (750_000_000, 2_500_000_000)
    assert first.command.preferred_channel == "email"
    assert empty.skipped and empty.row_number == 3
    assert {field for field, _ in bad.errors} == {"phone", "capital"}


def test_a_file_that_only_claims_to_be_xlsx_is_refused():
    with pytest.raises(ImportFileError, match="XLSX"):
        parse_import_file(b"not a zip", "umkm.xlsx")


@pytest.mark.parametrize(
    "written",
    ["Rp 1.500.000", "Rp.1.500.000", "1.500.000,00", "1,500,000", "1500000.00", "1 500 000"],
)
def test_amounts_are_read_the_way_people_write_rupiah(written: str):
    data = (
        "owner_name;nik;phone;business_name;sector;regency_city;district;capital\n"
        f"Budi;{MAN_NIK};081234567890;Sepatu Budi;alas kaki;Kota Batu;Batu;{written}\n"
    ).encode()
    [row] = parse_import_file(data, "umkm.csv", centre_id="batu")
    assert row.command is not None and row.command.capital == 1_500_000
