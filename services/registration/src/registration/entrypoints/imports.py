"""Bulk import routes: upload a file (a job starts), watch the job, read its report in pages.

The upload answers 202 with the job as soon as the file passed the checks
that cost little (size: 413; type, header and, for CSV, every line: 422), so
an officer learns at once that a file cannot be read at all. What only the
rows can tell (a bad cell, a duplicate) is in the job's report.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, Response, UploadFile, status
from plut_shared.problems import NOT_FOUND, VALIDATION
from plut_shared.routes import Writer

from registration.entrypoints.errors import BUSY, FORBIDDEN
from registration.entrypoints.http import MAX_OFFSET, Wired
from registration.entrypoints.import_views import ImportJobView, ImportRowsPage, RowOutcomeView

IMPORT_PATH = "/enterprises/import"
REPORT_PAGE_MAX = 500
router = APIRouter(tags=["import"], responses=VALIDATION | FORBIDDEN)


@router.post(
    IMPORT_PATH,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Register many UMKM from a CSV or XLSX file, as a job",
    response_description="The job, queued; `Location` and `job_url` name it.",
    responses=BUSY,
)
async def import_file(
    actor: Writer,
    w: Wired,
    response: Response,
    file: Annotated[UploadFile, File(description="CSV (`,` or `;`) or XLSX, header in row 1")],
    centre_id: Annotated[str | None, Query(description="Centre for rows without one")] = None,
) -> ImportJobView:
    limit = w.settings.import_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, f"file over {limit} bytes")
    if centre_id is None and actor.centres is not None and len(actor.centres) == 1:
        (centre_id,) = actor.centres
    job = ImportJobView.of(await w.imports.submit(data, file.filename or "", centre_id, actor))
    response.headers["Location"] = job.job_url
    return job


@router.get(
    "/imports/{import_id}",
    summary="An import's state and counts, while it runs and after",
    responses=NOT_FOUND,
)
async def import_job(import_id: str, actor: Writer, w: Wired) -> ImportJobView:
    return ImportJobView.of(await w.imports.status(import_id, actor))


@router.get(
    "/imports/{import_id}/rows",
    summary="Every created or rejected row of an import",
    responses=NOT_FOUND,
)
async def import_rows(
    import_id: str,
    actor: Writer,
    w: Wired,
    limit: Annotated[int, Query(ge=1, le=REPORT_PAGE_MAX)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ImportRowsPage:
    rows, total = await w.imports.rows(import_id, actor, offset=offset, limit=limit)
    items = [RowOutcomeView.model_validate(row) for row in rows]
    return ImportRowsPage(import_id=import_id, items=items, total=total, limit=limit, offset=offset)
