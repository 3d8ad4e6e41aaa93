"""HTTP answers for the service's errors: one clear message per field, no personal data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from plut_shared.problems import RouteResponses, problem
from pydantic import BaseModel

from registration.adapters.directory import DuplicateIdentity
from registration.adapters.import_file import ImportFileError
from registration.domain.errors import DomainValidationError, EnterpriseErased
from registration.handlers import (
    CentreNotAllowed,
    ChangeConflict,
    IdentityHeldElsewhere,
    NotFound,
)
from registration.import_jobs import ImportsBusy

# Starlette renamed the constant (RFC 9110 calls it "Unprocessable Content"); the code stays.
_UNPROCESSABLE = 422


class FieldProblem(BaseModel):
    field: str
    message: str


class ValidationProblem(BaseModel):
    detail: str
    errors: list[FieldProblem]


class DuplicateProblem(BaseModel):
    """A 409: a taken identity names its field (and the holder, when the caller may see it);
    a change that lost a race or hit an erased record has only `detail`."""

    detail: str
    field: str | None = None
    existing_umkm_id: str | None = None


VALIDATION: RouteResponses = {
    422: {"model": ValidationProblem, "description": "One message per invalid field"}
}
FORBIDDEN: RouteResponses = {403: problem("The token's role may not do this, or not here")}
NOT_FOUND: RouteResponses = {404: problem("Unknown id, or one of another centre: same answer")}
BUSY: RouteResponses = {429: problem("Too many imports in progress; upload again later")}
CONFLICT: RouteResponses = {
    409: problem(
        "NIK, NIB or phone already registered, the record changed meanwhile, or was erased",
        DuplicateProblem,
    )
}


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


def _detail(code: int, detail: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=code)


async def _request_invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return _invalid(field_problems(error.errors()))


async def _domain_invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainValidationError)
    return _invalid([{"field": error.field, "message": error.message}])


async def _duplicate(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DuplicateIdentity | IdentityHeldElsewhere)
    # Another centre's enterprise stays unnamed: no id, no centre.
    existing = error.existing_umkm_id if isinstance(error, DuplicateIdentity) else None
    return _detail(
        status.HTTP_409_CONFLICT, str(error), field=error.field, existing_umkm_id=existing
    )


async def _unreadable_file(request: Request, error: Exception) -> JSONResponse:
    # The message also stands alone as `detail`: the file as a whole is refused.
    return _detail(_UNPROCESSABLE, str(error), errors=[{"field": "file", "message": str(error)}])


async def _simple(request: Request, error: Exception) -> JSONResponse:
    code, detail = {
        # Same text as plut_shared.auth.ensure_centre: another centre's record looks absent.
        NotFound: (status.HTTP_404_NOT_FOUND, "Not found"),
        CentreNotAllowed: (status.HTTP_403_FORBIDDEN, "you may not register for this centre"),
        ChangeConflict: (status.HTTP_409_CONFLICT, "the enterprise changed meanwhile; retry"),
        EnterpriseErased: (status.HTTP_409_CONFLICT, str(error)),
        ImportsBusy: (
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many imports in progress on this service; upload again when one is done",
        ),
    }[type(error)]
    return _detail(code, detail)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(DomainValidationError, _domain_invalid)
    app.add_exception_handler(DuplicateIdentity, _duplicate)
    app.add_exception_handler(IdentityHeldElsewhere, _duplicate)
    app.add_exception_handler(ImportFileError, _unreadable_file)
    for error in (NotFound, CentreNotAllowed, ChangeConflict, EnterpriseErased, ImportsBusy):
        app.add_exception_handler(error, _simple)
