"""HTTP answers for the service's errors: one clear message per field, no personal data."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from plut_shared.problems import (
    UNPROCESSABLE,
    RouteResponses,
    problem,
    request_invalid,
)

from financing.domain.referral import ReferralRefused
from financing.entrypoints.views import NotEligibleProblem, ReasonView
from financing.handlers import NotEligible, NotFound

FORBIDDEN: RouteResponses = {403: problem("The token's role may not do this")}
CONFLICT: RouteResponses = {409: problem("The referral is not in a state for this")}
NOT_ELIGIBLE: RouteResponses = {
    422: problem(
        "Invalid fields, or the referral cannot go ahead: then every reason, "
        "in Bahasa Indonesia and English",
        NotEligibleProblem,
    )
}


async def _not_eligible(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, NotEligible)
    reasons = [ReasonView.of(reason).model_dump() for reason in error.reasons]
    body = {"detail": "the referral cannot go ahead", "reasons": reasons}
    return JSONResponse(body, status_code=UNPROCESSABLE)


async def _simple(request: Request, error: Exception) -> JSONResponse:
    if isinstance(error, NotFound):
        return JSONResponse({"detail": "Not found"}, status_code=status.HTTP_404_NOT_FOUND)
    return JSONResponse({"detail": str(error)}, status_code=status.HTTP_409_CONFLICT)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, request_invalid)
    app.add_exception_handler(NotEligible, _not_eligible)
    for error in (NotFound, ReferralRefused):
        app.add_exception_handler(error, _simple)
