"""Parse a bulk-registration file (CSV or XLSX) into validated commands.

The first row holds column names (see `import_columns` for the names and the
required ones). Amounts may be written `Rp 1.500.000`; consents as ya/tidak.
`row_number` is the record's position counting the header as 1, which is the
spreadsheet row number. Only the file is checked here; duplicates against
stored enterprises are the service's job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from registration.adapters.import_cells import MAX_CELL_CHARS, row_values
from registration.adapters.import_columns import header_columns
from registration.adapters.import_errors import ImportFileError
from registration.adapters.xlsx_rows import xlsx_rows
from registration.domain.centres import validate_centre_id
from registration.domain.commands import RegisterEnterprise

__all__ = [
    "MAX_CELL_CHARS",
    "ImportFileError",
    "ImportLimits",
    "ImportRow",
    "check_import_file",
    "parse_import_file",
]

UNIQUE_IN_FILE = ("nik", "nib", "phone")


@dataclass(frozen=True)
class ImportLimits:
    """How much one file may hold; the defaults are the service's settings' defaults."""

    max_rows: int = 20_000  # rows after the header, empty ones included
    max_unzipped_bytes: int = 50_000_000  # an XLSX workbook, all its parts inflated


@dataclass(frozen=True)
class ImportRow:
    row_number: int
    command: RegisterEnterprise | None
    errors: list[tuple[str, str]] = field(default_factory=list)
    skipped: bool = False  # an empty row: nothing to register, nothing wrong


def parse_import_file(
    data: bytes,
    filename: str = "",
    *,
    centre_id: str | None = None,
    limits: ImportLimits = ImportLimits(),  # frozen, so sharing it is safe
) -> list[ImportRow]:
    """Validate every row; `centre_id` is the importing officer's centre, if any."""
    centre_id, table, columns = _opened(data, filename, centre_id, limits)
    return list(_validated(_at_most(table, limits.max_rows), columns, centre_id))


def check_import_file(
    data: bytes,
    filename: str = "",
    *,
    centre_id: str | None = None,
    limits: ImportLimits = ImportLimits(),  # frozen, so sharing it is safe
) -> None:
    """The checks of the whole file that cost little, so an upload is refused at once:
    its type, that it opens, its header and, for a CSV (read in C, fast), every line and
    the row limit. An XLSX's rows are read with its import. Raises `ImportFileError`."""
    _, table, _ = _opened(data, filename, centre_id, limits)
    try:
        if not _is_xlsx(data, filename):
            for _ in _at_most(table, limits.max_rows):
                pass
    finally:
        table.close()


def _opened(
    data: bytes, filename: str, centre_id: str | None, limits: ImportLimits
) -> tuple[str | None, Generator[list[Any], None, None], list[str | None]]:
    """The checked centre, the rows after the header, and the header's column names."""
    if centre_id is not None:
        centre_id = validate_centre_id(centre_id)
    if _is_xlsx(data, filename):
        table = xlsx_rows(data, limits.max_unzipped_bytes)
    else:
        table = _csv_rows(data)
    header = next(table, None)
    if header is None:
        raise ImportFileError("the file is empty")
    return centre_id, table, header_columns(header, centre_id)


def _at_most(table: Iterator[list[Any]], max_rows: int) -> Iterator[list[Any]]:
    """Stops reading at the first row past the limit, so a huge file costs no more."""
    for count, cells in enumerate(table, start=1):
        if count > max_rows:
            raise ImportFileError(
                f"the file has more than {max_rows} rows after the header: "
                "split it into smaller files"
            )
        yield cells


def _is_xlsx(data: bytes, filename: str) -> bool:
    if filename.lower().endswith(".xls"):
        raise ImportFileError("old .xls workbooks are not supported: save as .xlsx or .csv")
    return data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx")


def _csv_rows(data: bytes) -> Generator[list[Any], None, None]:
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


def _validated(
    table: Iterable[list[Any]], columns: list[str | None], centre_id: str | None
) -> Iterator[ImportRow]:
    first_seen: dict[tuple[str, str], int] = {}
    for row_number, cells in enumerate(table, start=2):
        values, too_long = row_values(cells, columns)
        if too_long:
            yield ImportRow(row_number, None, too_long)
            continue
        if not values:
            yield ImportRow(row_number, None, skipped=True)
            continue
        row = _checked_row(row_number, values, centre_id)
        if row.command is not None:
            row = _without_duplicates(row, row.command, first_seen)
        yield row


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
