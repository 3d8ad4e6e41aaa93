"""Every import's full report, kept in pages so no answer and no document grows unbounded.

A file of 20,000 bad rows has a report of megabytes: the import's answer
carries the counts and the first rows, and the rest is read from here, a page
at a time. Each page of `PAGE_ROWS` row outcomes is one document read by
`_id` (`<import_id>:<page>`); the summary document (`_id` = import id) is
written last, so a summary that exists has all its pages. Outcomes hold ids,
field names and messages, never a NIK, phone or name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

IMPORT_REPORTS = "import_reports"
PAGE_ROWS = 500


@dataclass(frozen=True)
class ReportSummary:
    import_id: str
    subject: str  # who imported: only they and admins read the report
    at: datetime
    outcomes: int  # rows with an outcome: created or rejected


class ImportReports:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[IMPORT_REPORTS]

    async def save(self, summary: ReportSummary, outcomes: list[dict[str, Any]]) -> None:
        pages = [
            {"_id": f"{summary.import_id}:{number}", "rows": outcomes[start : start + PAGE_ROWS]}
            for number, start in enumerate(range(0, len(outcomes), PAGE_ROWS))
        ]
        if pages:
            await self._collection.insert_many(pages)
        await self._collection.insert_one({"_id": summary.import_id, **_fields(summary)})

    async def summary(self, import_id: str) -> ReportSummary | None:
        doc = await self._collection.find_one({"_id": import_id})
        if doc is None or "subject" not in doc:  # a page id is not an import id
            return None
        return ReportSummary(import_id, doc["subject"], doc["at"], doc["outcomes"])

    async def outcomes(self, import_id: str, *, offset: int, limit: int) -> list[dict[str, Any]]:
        first, last = offset // PAGE_ROWS, (offset + limit - 1) // PAGE_ROWS
        rows: list[dict[str, Any]] = []
        for number in range(first, last + 1):
            page = await self._collection.find_one({"_id": f"{import_id}:{number}"})
            rows.extend(page["rows"] if page else [])
        start = offset - first * PAGE_ROWS
        return rows[start : start + limit]


def _fields(summary: ReportSummary) -> dict[str, Any]:
    return {"subject": summary.subject, "at": summary.at, "outcomes": summary.outcomes}
