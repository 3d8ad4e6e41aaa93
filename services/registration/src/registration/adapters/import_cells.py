"""Cell values of an import file as people type them: `Rp 1.500.000`, `ya`, a NIK as a number."""

from __future__ import annotations

import re
from typing import Any

NUMBER_COLUMNS = frozenset({"capital", "annual_sales", "employees", "founding_year"})
YES = frozenset({"ya", "y", "yes", "true", "1", "setuju"})
NO = frozenset({"tidak", "no", "n", "false", "0", "tidak setuju"})
_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
# Longer than any field may be (names stop at 200); longer cells are refused unread.
MAX_CELL_CHARS = 1_000
# More digits than any accepted amount; Python refuses to convert 4,300+ digits anyway.
MAX_NUMBER_DIGITS = 30


def row_values(
    cells: list[Any], columns: list[str | None]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The row's values by field, and an error for each cell too long to look at."""
    values: dict[str, Any] = {}
    too_long: list[tuple[str, str]] = []
    for name, cell in zip(columns, cells, strict=False):
        if name and isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            too_long.append((name, f"{name} is longer than {MAX_CELL_CHARS} characters"))
            continue
        value = _cell(cell)
        if name and value is not None:
            values[name] = _typed(name, value)
    return values, too_long


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
        return int(amount) if amount.isdigit() and len(amount) <= MAX_NUMBER_DIGITS else value
    if name.startswith("consent_") and isinstance(value, int) and value in (0, 1):
        return bool(value)  # a 1 or 0 typed into a number cell
    if name.startswith("consent_") and isinstance(value, str):
        word = value.lower()
        if word in YES or word in NO:
            return word in YES
        return value
    if isinstance(value, int) and name not in NUMBER_COLUMNS and not name.startswith("consent_"):
        return str(value)  # NIK, NIB or phone typed into a number cell
    return value
