"""Bulk import routes: upload a file, then read its full report a page at a time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, HTTPException, Query, UploadFile, status

from registration.entrypoints.errors import FORBIDDEN, NOT_FOUND, VALIDATION
from registration.entrypoints.http import MAX_OFFSET, Handlers, Writer
from registration.entrypoints.views import ImportReportView, ImportRowsPage, RowOutcomeView

IMPORT_PATH = "/enterprises/import"
REPORT_PAGE_MAX = 500
router = APIRouter(tags=["import"], responses=VALIDATION | FORBIDDEN)


@router.post(IMPORT_PATH, summary="Register many UMKM from a CSV or XLSX file")
async def import_file(
    actor: Writer,
    w: Handlers,
    file: Annotated[UploadFile, File(description="CSV (`,` or `;`) or XLSX, header in row 1")],
    centre_id: Annotated[str | None, Query(description="Centre for rows without one")] = None,
) -> ImportReportView:
    limit = w.settings.import_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, f"file over {limit} bytes")
    if centre_id is None and actor.centres is not None and len(actor.centres) == 1:
        (centre_id,) = actor.centres
    report = await w.importer.run(data, file.filename or "", centre_id, actor)
    return ImportReportView.of(report)


@router.get(
    "/imports/{import_id}/rows",
    summary="Every created or rejected row of an import",
    responses=NOT_FOUND,
)
async def import_rows(
    import_id: str,
    actor: Writer,
    w: Handlers,
    limit: Annotated[int, Query(ge=1, le=REPORT_PAGE_MAX)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ImportRowsPage:
    rows, total = await w.importer.outcomes(import_id, actor, offset=offset, limit=limit)
    items = [RowOutcomeView.model_validate(row) for row in rows]
    return ImportRowsPage(import_id=import_id, items=items, total=total, limit=limit, offset=offset)
