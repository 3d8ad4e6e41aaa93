"""HTTP answers for the service's errors: one clear message per field, no personal data."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from plut_shared.problems import invalid_fields, request_invalid
from pydantic import BaseModel, Field

from training.domain.errors import (
    AlreadyEnrolled,
    DomainValidationError,
    SlotTaken,
    StateConflict,
)
from training.handlers.common import CentreNotAllowed, ChangeConflict, NotFound


class ConflictProblem(BaseModel):
    detail: str
    existing_enrollment_id: str | None = Field(
        default=None, description="The enterprise's enrolment in this session, when it has one."
    )


async def _domain_invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainValidationError)
    return invalid_fields([{"field": error.field, "message": error.message}])


async def _conflict(request: Request, error: Exception) -> JSONResponse:
    body: dict[str, Any] = {"detail": str(error)}
    if isinstance(error, AlreadyEnrolled):
        body["existing_enrollment_id"] = error.enrollment_id
    return JSONResponse(body, status_code=status.HTTP_409_CONFLICT)


async def _simple(request: Request, error: Exception) -> JSONResponse:
    code, detail = {
        # Same text as plut_shared.auth.ensure_centre: another centre's record looks absent.
        NotFound: (status.HTTP_404_NOT_FOUND, "Not found"),
        CentreNotAllowed: (status.HTTP_403_FORBIDDEN, "you may not act for this centre"),
        ChangeConflict: (status.HTTP_409_CONFLICT, "it changed meanwhile; retry"),
    }[type(error)]
    return JSONResponse({"detail": detail}, status_code=code)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, request_invalid)
    app.add_exception_handler(DomainValidationError, _domain_invalid)
    for conflict in (StateConflict, AlreadyEnrolled, SlotTaken):
        app.add_exception_handler(conflict, _conflict)
    for error in (NotFound, CentreNotAllowed, ChangeConflict):
        app.add_exception_handler(error, _simple)
