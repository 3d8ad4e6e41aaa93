"""Parse a bulk-registration file (CSV or XLSX) into validated commands.

The first row holds column names; case, spaces and dashes do not matter, and
the Indonesian names in brackets are accepted too:

    owner_name (nama_pemilik)   nik                          phone (no_hp, nomor_hp, no_wa)
    email                       preferred_channel (kanal)    language (bahasa)
    business_name (nama_usaha)  nib                          sector (sektor, bidang_usaha)
    province (provinsi)         regency_city (kabupaten_kota, kab_kota)
    district (kecamatan)        village (desa, kelurahan, desa_kelurahan)
    founding_year (tahun_berdiri)   capital (modal)          annual_sales (omzet, omset)
    employees (tenaga_kerja, jumlah_karyawan)                centre_id (plut)
    consent_financing_partners (setuju_pembiayaan)  consent_marketing (setuju_pemasaran)

Required: owner_name, nik, phone, business_name, sector, regency_city, district,
capital, and centre_id unless the import is made for one centre. Amounts may be
written `Rp 1.500.000`; consents as ya/tidak. `row_number` is the record's
position counting the header as 1, which is the spreadsheet row number. Only
the file is checked here; duplicates against stored enterprises are the
service's job.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from pydantic import ValidationError

from registration.domain.centres import validate_centre_id
from registration.domain.commands import RegisterEnterprise

_ALIASES_BY_FIELD = {
    "owner_name": "nama_pemilik",
    "phone": "no_hp nomor_hp no_telp telepon no_wa whatsapp",
    "preferred_channel": "kanal",
    "language": "bahasa",
    "business_name": "nama_usaha",
    "sector": "sektor bidang_usaha",
    "province": "provinsi",
    "regency_city": "kabupaten_kota kab_kota",
    "district": "kecamatan",
    "village": "desa kelurahan desa_kelurahan",
    "founding_year": "tahun_berdiri",
    "capital": "modal",
    "annual_sales": "omzet omset",
    "employees": "tenaga_kerja jumlah_karyawan",
    "centre_id": "plut",
    "consent_financing_partners": "setuju_pembiayaan",
    "consent_marketing": "setuju_pemasaran",
}
ALIASES = {alias: name for name, names in _ALIASES_BY_FIELD.items() for alias in names.split()}
REQUIRED_COLUMNS = (
    "owner_name",
    "nik",
    "phone",
    "business_name",
    "sector",
    "regency_city",
    "district",
    "capital",
)
NUMBER_COLUMNS = frozenset({"capital", "annual_sales", "employees", "founding_year"})
YES = frozenset({"ya", "y", "yes", "true", "1", "setuju"})
NO = frozenset({"tidak", "no", "n", "false", "0", "tidak setuju"})
UNIQUE_IN_FILE = ("nik", "nib", "phone")
_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


class ImportFileError(ValueError):
    """The file as a whole cannot be read: wrong format, encoding or columns."""


@dataclass(frozen=True)
class ImportRow:
    row_number: int
    command: RegisterEnterprise | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    skipped: bool = False  # an empty row: nothing to register, nothing wrong


def parse_import_file(
    data: bytes, filename: str = "", *, centre_id: str | None = None
) -> list[ImportRow]:
    """Validate every row; `centre_id` is the importing officer's centre, if any."""
    if centre_id is not None:
        centre_id = validate_centre_id(centre_id)
    table = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(data)
    header = next(table, None)
    if header is None:
        raise ImportFileError("the file is empty")
    columns = _columns(header, centre_id)
    return list(_validated(table, columns, centre_id))


def _is_xlsx(data: bytes, filename: str) -> bool:
    if filename.lower().endswith(".xls"):
        raise ImportFileError("old .xls workbooks are not supported: save as .xlsx or .csv")
    return data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx")


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("the CSV file is not UTF-8 text") from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in Indonesian locales writes `;` because `,` is the decimal mark.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ImportFileError(f"the CSV file cannot be read: {error}") from None


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError("the file is not a readable XLSX workbook") from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def _columns(header: list[Any], centre_id: str | None) -> list[str | None]:
    names = [_column_name(cell) for cell in header]
    present = {name for name in names if name}
    duplicated = sorted({n for n in present if names.count(n) > 1})
    if duplicated:
        raise ImportFileError(f"columns given more than once: {', '.join(duplicated)}")
    required = REQUIRED_COLUMNS if centre_id else (*REQUIRED_COLUMNS, "centre_id")
    missing = [name for name in required if name not in present]
    if missing:
        raise ImportFileError(f"missing required columns: {', '.join(missing)}")
    return names


def _column_name(cell: Any) -> str | None:
    if cell is None:
        return None
    key = re.sub(r"[\s\-/]+", "_", str(cell).strip().lstrip("\ufeff").lower())
    name = ALIASES.get(key, key)
    return name if name in RegisterEnterprise.model_fields else None


def _validated(
    table: Iterable[list[Any]], columns: list[str | None], centre_id: str | None
) -> Iterator[ImportRow]:
    first_seen: dict[tuple[str, str], int] = {}
    for row_number, cells in enumerate(table, start=2):
        values = _row_values(cells, columns)
        if not values:
            yield ImportRow(row_number, None, skipped=True)
            continue
        row = _checked_row(row_number, values, centre_id)
        if row.command is not None:
            row = _without_duplicates(row, row.command, first_seen)
        yield row


def _row_values(cells: list[Any], columns: list[str | None]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, cell in zip(columns, cells, strict=False):
        value = _cell(cell)
        if name and value is not None:
            values[name] = _typed(name, value)
    return values


def _cell(cell: Any) -> Any:
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, str):
        return cell.strip() or None
    return cell


def _typed(name: str, value: Any) -> Any:
    """Read amounts and yes/no as people write them; anything else goes to pydantic as is."""
    if name in NUMBER_COLUMNS and isinstance(value, str):
        amount = re.sub(r"(?i)^rp\.?\s*", "", value).replace(" ", "")
        amount = re.sub(r"(?<=\d{3})[.,]00$", "", amount)  # "1.500.000,00"
        if _THOUSANDS.match(amount):
            amount = re.sub(r"[.,]", "", amount)
        return int(amount) if amount.isdigit() else value
    if name.startswith("consent_") and isinstance(value, str):
        word = value.lower()
        if word in YES or word in NO:
            return word in YES
        return value
    if isinstance(value, int) and name not in NUMBER_COLUMNS and not name.startswith("consent_"):
        return str(value)  # NIK, NIB or phone typed into a number cell
    return value


def _checked_row(row_number: int, values: dict[str, Any], centre_id: str | None) -> ImportRow:
    if centre_id is not None:
        values.setdefault("centre_id", centre_id)
    try:
        command = RegisterEnterprise.model_validate(values)
    except ValidationError as error:
        return ImportRow(row_number, None, [_error(e) for e in error.errors()])
    if centre_id is not None and command.centre_id != centre_id:
        return ImportRow(row_number, None, [("centre_id", "row belongs to another PLUT centre")])
    return ImportRow(row_number, command)


def _error(error: Any) -> tuple[str, str]:
    place = str(error["loc"][0]) if error["loc"] else "row"
    return place, str(error["msg"]).removeprefix("Value error, ")


def _without_duplicates(
    row: ImportRow, command: RegisterEnterprise, first_seen: dict[tuple[str, str], int]
) -> ImportRow:
    keys = [(name, getattr(command, name)) for name in UNIQUE_IN_FILE if getattr(command, name)]
    errors = [
        (name, f"{name} duplicates row {first_seen[(name, value)]} in this file")
        for name, value in keys
        if (name, value) in first_seen
    ]
    if errors:
        return ImportRow(row.row_number, None, errors)
    for key in keys:
        first_seen[key] = row.row_number
    return row
