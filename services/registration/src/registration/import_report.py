"""The outcome of one bulk import: counts, every rejected row's errors, the ids created."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    error: str


@dataclass
class ImportReport:
    import_id: str
    rows: int = 0
    empty_rows: int = 0
    created: dict[int, str] = field(default_factory=dict)  # row -> umkm_id
    errors: list[RowError] = field(default_factory=list)
    possible_duplicates: dict[int, list[str]] = field(default_factory=dict)

    def reject(self, row: int, problems: list[tuple[str, str]]) -> None:
        self.errors.extend(RowError(row, name, message) for name, message in problems)

    @property
    def rejected(self) -> int:
        return len({error.row for error in self.errors})

    def outcomes(self) -> list[dict[str, Any]]:
        """One entry per created or rejected row, in row order, as the report pages store it."""
        by_row: dict[int, dict[str, Any]] = {}
        for row, umkm_id in self.created.items():
            by_row[row] = _outcome(row, umkm_id, self.possible_duplicates.get(row, []))
        for error in self.errors:
            entry = by_row.setdefault(error.row, _outcome(error.row, None, []))
            entry["errors"].append({"field": error.field, "error": error.error})
        return [by_row[row] for row in sorted(by_row)]


def _outcome(row: int, umkm_id: str | None, similar: list[str]) -> dict[str, Any]:
    return {"row": row, "umkm_id": umkm_id, "errors": [], "possible_duplicates": similar}
