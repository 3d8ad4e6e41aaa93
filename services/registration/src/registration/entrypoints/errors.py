"""HTTP answers for the service's errors: one clear message per field, no personal data."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from plut_shared.problems import (
    UNPROCESSABLE,
    RouteResponses,
    invalid_fields,
    problem,
    request_invalid,
)
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


class DuplicateProblem(BaseModel):
    """A 409: a taken identity names its field (and the holder, when the caller may see it);
    a change that lost a race or hit an erased record has only `detail`."""

    detail: str
    field: str | None = None
    existing_umkm_id: str | None = None


FORBIDDEN: RouteResponses = {403: problem("The token's role may not do this, or not here")}
BUSY: RouteResponses = {429: problem("Too many imports in progress; upload again later")}
CONFLICT: RouteResponses = {
    409: problem(
        "NIK, NIB or phone already registered, the record changed meanwhile, or was erased",
        DuplicateProblem,
    )
}


def _detail(code: int, detail: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=code)


async def _domain_invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainValidationError)
    return invalid_fields([{"field": error.field, "message": error.message}])


async def _duplicate(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DuplicateIdentity | IdentityHeldElsewhere)
    # Another centre's enterprise stays unnamed: no id, no centre.
    existing = error.existing_umkm_id if isinstance(error, DuplicateIdentity) else None
    return _detail(
        status.HTTP_409_CONFLICT, str(error), field=error.field, existing_umkm_id=existing
    )


async def _unreadable_file(request: Request, error: Exception) -> JSONResponse:
    # The message also stands alone as `detail`: the file as a whole is refused.
    return _detail(UNPROCESSABLE, str(error), errors=[{"field": "file", "message": str(error)}])


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
    app.add_exception_handler(RequestValidationError, request_invalid)
    app.add_exception_handler(DomainValidationError, _domain_invalid)
    app.add_exception_handler(DuplicateIdentity, _duplicate)
    app.add_exception_handler(IdentityHeldElsewhere, _duplicate)
    app.add_exception_handler(ImportFileError, _unreadable_file)
    for error in (NotFound, CentreNotAllowed, ChangeConflict, EnterpriseErased, ImportsBusy):
        app.add_exception_handler(error, _simple)
