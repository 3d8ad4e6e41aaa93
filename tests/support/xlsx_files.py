"""Hand-made XLSX files, as a hostile or careless uploader would make them.

The sheet XML is written by hand (inline strings, like openpyxl writes), in
chunks, so a file whose sheet inflates to many megabytes is built without
holding it in memory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

SHEET = "xl/worksheets/sheet1.xml"
_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def workbook(rows: Sequence[Sequence[Any]]) -> bytes:
    """A regular workbook as openpyxl writes it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet(sheet_xml: Iterable[bytes]) -> bytes:
    """A workbook whose first sheet is `sheet_xml`, streamed into the archive."""
    base = zipfile.ZipFile(io.BytesIO(workbook([["placeholder"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in base.infolist():
            if entry.filename == SHEET:
                with archive.open(SHEET, "w", force_zip64=True) as sheet:
                    for chunk in sheet_xml:
                        sheet.write(chunk)
            else:
                archive.writestr(entry, base.read(entry.filename))
    return out.getvalue()


def row_xml(number: int, values: Sequence[Any]) -> bytes:
    """Inline-string cells; a `bytes` value is put in as raw XML (an entity reference)."""
    cells = "".join(
        f'<c r="{get_column_letter(col)}{number}" t="inlineStr"><is><t>{_text(v)}</t></is></c>'
        for col, v in enumerate(values, start=1)
        if v is not None
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else escape(str(value))


def sheet_xml(
    rows: Iterable[Sequence[Any]], *, dimension: str | None = None, prolog: bytes = b""
) -> Iterator[bytes]:
    yield prolog + _OPEN
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    for number, values in enumerate(rows, start=1):
        yield row_xml(number, values)
    yield b"</sheetData></worksheet>"


def huge_cell_sheet(header: Sequence[str], cell_bytes: int) -> Iterator[bytes]:
    """Header, then one row whose first cell holds `cell_bytes` letters."""
    yield _OPEN + b"<sheetData>" + row_xml(1, header)
    yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    chunk = b"a" * 1_048_576
    for _ in range(cell_bytes // len(chunk)):
        yield chunk
    yield b"a" * (cell_bytes % len(chunk))
    yield b"</t></is></c></row></sheetData></worksheet>"


XXE_PROLOG = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
)


def _laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return ('<?xml version="1.0"?><!DOCTYPE worksheet [' + "".join(entities) + "]>").encode()


LAUGHS_PROLOG = _laughs()
