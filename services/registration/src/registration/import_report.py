"""The outcome of one bulk import: counts, every rejected row's errors, the ids created."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportReport:
    import_id: str
    rows: int = 0
    empty_rows: int = 0
    rows_done: int = 0  # rows with their outcome decided: created, rejected or empty
    created: dict[int, str] = field(default_factory=dict)  # row -> umkm_id
    errors: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # row -> (field, why)
    possible_duplicates: dict[int, list[str]] = field(default_factory=dict)

    def reject(self, row: int, problems: list[tuple[str, str]]) -> None:
        self.errors.setdefault(row, []).extend(problems)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def outcomes(self, rows: Iterable[int]) -> list[dict[str, Any]]:
        """One entry per created or rejected row among `rows`, in row order, as the
        report pages store them (empty rows have none)."""
        entries = []
        for row in sorted(rows):
            if row in self.created or row in self.errors:
                problems = self.errors.get(row, [])
                entries.append(
                    {
                        "row": row,
                        "umkm_id": self.created.get(row),
                        "errors": [{"field": name, "error": why} for name, why in problems],
                        "possible_duplicates": self.possible_duplicates.get(row, []),
                    }
                )
        return entries
