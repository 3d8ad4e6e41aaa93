"""The rows of an uploaded XLSX workbook's first sheet, read without trusting the file.

An XLSX file is a zip of XML parts, so a 1 MB upload can inflate to a 1 GB
cell (measured before these checks: 32 s and 2 GB of memory), declare XML
entities that expand a billion-fold or read local files, or carry a stale
`<dimension>` that hides the rows after it. Hence:

- the entries' uncompressed sizes, which the zip declares and `zipfile`
  enforces while inflating, are added up before anything is inflated;
- XML is parsed with `defusedxml` (openpyxl picks it up when it is
  installed), which refuses entity declarations;
- the sheet's dimension is ignored: every row present is read, up to
  `MAX_COLUMNS` cells wide, whatever the file claims.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Generator, Iterator
from typing import Any

from defusedxml import DefusedXmlException
from openpyxl import load_workbook

from registration.adapters.import_errors import ImportFileError

# Far more columns than the import knows; a cell at column XFD must not make
# every row 16,384 cells wide.
MAX_COLUMNS = 100
MAX_ENTRIES = 1_000
_UNREADABLE = "the file is not a readable XLSX workbook"
_DECLARES_ENTITIES = (
    "the workbook declares XML entities, which spreadsheets never need: "
    "save it again from a spreadsheet program"
)


def xlsx_rows(data: bytes, max_unzipped_bytes: int) -> Generator[list[Any], None, None]:
    """Rows of the first sheet as lists of cell values; raises `ImportFileError`."""
    check_archive(data, max_unzipped_bytes)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any failure to parse a hostile file is the file's fault
        raise _refusal(error) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        yield from _guarded(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS))
    finally:
        workbook.close()


def _guarded(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[Any]]:
    """The sheet's XML is parsed as rows are pulled: its errors surface here."""
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as error:
            raise _refusal(error) from None
        yield list(values)


def _refusal(error: BaseException) -> ImportFileError:
    """The reason to give; openpyxl wraps some parser errors in its own ValueError."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return ImportFileError(_DECLARES_ENTITIES)
        cause = cause.__cause__ or cause.__context__
    return ImportFileError(_UNREADABLE)


def check_archive(data: bytes, max_unzipped_bytes: int) -> None:
    """Refuse, before inflating anything, a zip that would unpack to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise ImportFileError(_UNREADABLE) from None
    if len(entries) > MAX_ENTRIES:
        raise ImportFileError(f"the workbook has more than {MAX_ENTRIES} parts")
    unzipped = sum(entry.file_size for entry in entries)
    if unzipped > max_unzipped_bytes:
        raise ImportFileError(
            f"the workbook unpacks to {unzipped} bytes, more than the {max_unzipped_bytes} "
            "accepted: split it into smaller files"
        )
