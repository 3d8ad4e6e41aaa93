"""Registration bodies for a chaos run: realistic, invented, every identity used once.

The rows come from the import benchmark's generator (`bench/generate_umkm_file.py`),
so NIKs, phones and NIBs are well formed and unique within a seed; every owner
asks for WhatsApp, the channel whose provider sink the run counts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from registration.domain.fields import normalise_field

from bench.generate_umkm_file import COLUMNS, Generator

_FLAGS = {"ya": True, "tidak": False, "": False}


def e164(raw: str) -> str:
    """The phone as registration stores it and the provider receives it (`62321...` is a
    landline written without its `+`, which a plain parse would take for a local number)."""
    return str(normalise_field("phone", raw))


def rows(count: int, seed: int) -> Iterator[dict[str, Any]]:
    generator = Generator(seed)
    for _ in range(count):
        row = generator.row()
        row["preferred_channel"] = "whatsapp"
        yield row


def body(row: dict[str, Any]) -> dict[str, Any]:
    """The row as `POST /enterprises` takes it: flags as booleans, blanks left out."""
    result: dict[str, Any] = {}
    for name, value in row.items():
        if name.startswith("consent_"):
            result[name] = _FLAGS[str(value)]
        elif value != "":
            result[name] = value
    return result


def csv_file(batch: list[dict[str, Any]]) -> bytes:
    """The rows as an import file (the generator's columns, comma-separated)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([row[column] for column in COLUMNS] for row in batch)
    return out.getvalue().encode()
