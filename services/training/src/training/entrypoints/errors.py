"""HTTP answers for the service's errors: one clear message per field, no personal data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from training.domain.errors import (
    AlreadyEnrolled,
    DomainValidationError,
    SlotTaken,
    StateConflict,
)
from training.handlers.common import CentreNotAllowed, ChangeConflict, NotFound

# Starlette renamed the constant (RFC 9110 calls it "Unprocessable Content"); the code stays.
_UNPROCESSABLE = 422


class FieldProblem(BaseModel):
    field: str
    message: str


class ValidationProblem(BaseModel):
    detail: str
    errors: list[FieldProblem]


class ConflictProblem(BaseModel):
    detail: str
    existing_enrollment_id: str | None = Field(
        default=None, description="The enterprise's enrolment in this session, when it has one."
    )


def field_problems(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Pydantic's errors, first per field; the location prefix (body, query) is dropped."""
    seen: dict[str, str] = {}
    for error in errors:
        place = [str(part) for part in error["loc"] if part not in ("body", "query", "path")]
        name = ".".join(place) or "body"
        seen.setdefault(name, str(error["msg"]).removeprefix("Value error, "))
    return [{"field": name, "message": message} for name, message in seen.items()]


def _invalid(problems: list[dict[str, str]]) -> JSONResponse:
    body = {"detail": "the request has invalid fields", "errors": problems}
    return JSONResponse(body, status_code=_UNPROCESSABLE)


async def _request_invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return _invalid(field_problems(error.errors()))


async def _domain_invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainValidationError)
    return _invalid([{"field": error.field, "message": error.message}])


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
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(DomainValidationError, _domain_invalid)
    for conflict in (StateConflict, AlreadyEnrolled, SlotTaken):
        app.add_exception_handler(conflict, _conflict)
    for error in (NotFound, CentreNotAllowed, ChangeConflict):
        app.add_exception_handler(error, _simple)
