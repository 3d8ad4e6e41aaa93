"""Every import's job document and its full report, kept in pages read by `_id`.

The job document (`_id` = import id) holds who imported, the state
(queued, running, done, failed), the counts so far and how many row outcomes
the report holds. The report is kept in pages of `PAGE_ROWS` row outcomes,
each one document (`<import_id>:<page>`), so no answer and no document grows
unbounded. A running import rewrites its last, partial page at each
checkpoint and raises the job's `outcomes` count afterwards, so every row the
count covers is stored. Outcomes hold ids, field names and messages, never a
NIK, phone or name. Every read and write filters on `_id` alone, which every
store answers from its index.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

IMPORT_REPORTS = "import_reports"
PAGE_ROWS = 500
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
FINISHED = frozenset({DONE, FAILED})


@dataclass(frozen=True)
class ImportJob:
    import_id: str
    subject: str  # who imported: only they and admins see the job and its report
    at: datetime
    state: str = QUEUED
    error: str | None = None  # why a failed job stopped
    rows: int = 0  # data rows read from the file, empty ones included
    rows_done: int = 0
    created: int = 0
    rejected: int = 0
    empty_rows: int = 0
    outcomes: int = 0  # row outcomes stored in the report's pages
    events_published: int = 0
    updated_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


class ImportReports:
    def __init__(self, db: AsyncDatabase) -> None:
        self._collection = db[IMPORT_REPORTS]

    async def create(self, job: ImportJob) -> None:
        fields = dataclasses.asdict(job)
        await self._collection.insert_one({"_id": fields.pop("import_id"), **fields})

    async def job(self, import_id: str) -> ImportJob | None:
        doc = await self._collection.find_one({"_id": import_id})
        if doc is None or "subject" not in doc:  # a page id is not an import id
            return None
        # Reports stored before imports became jobs have no state: they were done.
        known = {name: doc[name] for name in _JOB_FIELDS if name in doc}
        return ImportJob(import_id, **({"state": DONE} | known))

    async def update(self, import_id: str, **fields: Any) -> None:
        await self._collection.update_one({"_id": import_id}, {"$set": fields})

    async def save_page(self, import_id: str, number: int, rows: list[dict[str, Any]]) -> None:
        await self._collection.replace_one(
            {"_id": f"{import_id}:{number}"}, {"rows": rows}, upsert=True
        )

    async def outcomes(self, import_id: str, *, offset: int, limit: int) -> list[dict[str, Any]]:
        first, last = offset // PAGE_ROWS, (offset + limit - 1) // PAGE_ROWS
        rows: list[dict[str, Any]] = []
        for number in range(first, last + 1):
            page = await self._collection.find_one({"_id": f"{import_id}:{number}"})
            rows.extend(page["rows"] if page else [])
        start = offset - first * PAGE_ROWS
        return rows[start : start + limit]

    async def created_ids(self, job: ImportJob) -> list[str]:
        """The enterprises the job created, as far as its report holds them."""
        ids: list[str] = []
        for offset in range(0, job.outcomes, PAGE_ROWS):
            page = await self.outcomes(job.import_id, offset=offset, limit=PAGE_ROWS)
            ids.extend(row["umkm_id"] for row in page if row["umkm_id"])
        return ids

    def writer(self, import_id: str) -> ReportWriter:
        return ReportWriter(self, import_id)


_JOB_FIELDS = tuple(f.name for f in dataclasses.fields(ImportJob) if f.name != "import_id")


class ReportWriter:
    """Appends row outcomes to an import's pages, in row order."""

    def __init__(self, reports: ImportReports, import_id: str) -> None:
        self._reports = reports
        self._import_id = import_id
        self._page = 0
        self._buffer: list[dict[str, Any]] = []
        self.saved = 0

    async def add(self, outcomes: list[dict[str, Any]]) -> None:
        if not outcomes:
            return
        self._buffer.extend(outcomes)
        while len(self._buffer) >= PAGE_ROWS:
            await self._reports.save_page(self._import_id, self._page, self._buffer[:PAGE_ROWS])
            self._page, self._buffer = self._page + 1, self._buffer[PAGE_ROWS:]
        if self._buffer:  # the partial page is written again when it grows
            await self._reports.save_page(self._import_id, self._page, self._buffer)
        self.saved += len(outcomes)
