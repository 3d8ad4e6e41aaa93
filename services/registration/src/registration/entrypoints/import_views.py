"""Response models of bulk imports: the job an officer watches, and its paged report."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from registration.adapters.import_reports import ImportJob


class ImportJobView(BaseModel):
    """An import's progress; every row's outcome is at `rows_url`, a page at a time."""

    import_id: str
    state: Literal["queued", "running", "done", "failed"] = Field(
        description="queued (waiting for a free slot), running, done, or failed (see `error`)."
    )
    error: str | None = Field(description="Why a failed import stopped, and what to do.")
    rows: int = Field(description="Data rows in the file, empty ones included; 0 until read.")
    rows_done: int = Field(description="Rows with their outcome decided so far.")
    created: int
    rejected: int = Field(description="Rows not imported, each with at least one error.")
    empty_rows: int
    events_published: int = Field(
        description="`registered` events of the created enterprises the relay has published; "
        "it may lag the truth by a second or two, and keeps rising after the job is done."
    )
    started_at: datetime
    updated_at: datetime | None
    finished_at: datetime | None
    job_url: str = Field(description="This job; poll it until `state` is done or failed.")
    rows_url: str = Field(description="Every created or rejected row's outcome, a page at a time.")

    @classmethod
    def of(cls, job: ImportJob) -> ImportJobView:
        return cls(
            import_id=job.import_id,
            state=job.state,
            error=job.error,
            rows=job.rows,
            rows_done=job.rows_done,
            created=job.created,
            rejected=job.rejected,
            empty_rows=job.empty_rows,
            events_published=job.events_published,
            started_at=job.at,
            updated_at=job.updated_at,
            finished_at=job.finished_at,
            job_url=f"/imports/{job.import_id}",
            rows_url=f"/imports/{job.import_id}/rows",
        )


class FieldErrorView(BaseModel):
    field: str
    error: str


class RowOutcomeView(BaseModel):
    row: int = Field(description="Spreadsheet row number; the header is row 1.")
    umkm_id: str | None = Field(description="The enterprise created, or None if rejected.")
    errors: list[FieldErrorView]
    possible_duplicates: list[str]


class ImportRowsPage(BaseModel):
    import_id: str
    items: list[RowOutcomeView] = Field(description="Created and rejected rows, by row number.")
    total: int = Field(
        description="Created and rejected rows stored so far; all of them once the job is done."
    )
    limit: int
    offset: int
