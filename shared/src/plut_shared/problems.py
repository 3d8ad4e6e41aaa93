"""Error bodies every service gives, for the OpenAPI documents.

Every refusal is `{"detail": "<what is wrong>"}`; a service may add fields
(one message per invalid field, the id of a duplicate). The responses below
are what the shared door (`plut_shared.http_guard`) and FastAPI's own body
reading give on every route that needs a token.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

RouteResponses = dict[int | str, dict[str, Any]]


class Problem(BaseModel):
    detail: str


def problem(description: str, model: type[BaseModel] = Problem) -> dict[str, Any]:
    return {"model": model, "description": description}


PROTECTED_ROUTE_RESPONSES: RouteResponses = {
    400: problem("The body could not be read (e.g. a broken multipart upload)"),
    401: problem("Missing or unknown bearer token; checked before the body is read"),
    413: problem("The body is larger than this endpoint accepts; the limit is named"),
}


# Starlette renamed the constant (RFC 9110 calls it "Unprocessable Content"); the code stays.
UNPROCESSABLE = 422


class FieldProblem(BaseModel):
    field: str
    message: str


class ValidationProblem(BaseModel):
    """A 422: one message per invalid field."""

    detail: str
    errors: list[FieldProblem]


# The 422 and 404 every service's API document names in the same words.
VALIDATION: RouteResponses = {
    422: {"model": ValidationProblem, "description": "One message per invalid field"}
}
NOT_FOUND: RouteResponses = {404: problem("Unknown id, or one of another centre: same answer")}


def field_problems(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Pydantic's errors, first per field; the location prefix (body, query) is dropped."""
    seen: dict[str, str] = {}
    for error in errors:
        place = [str(part) for part in error["loc"] if part not in ("body", "query", "path")]
        seen.setdefault(".".join(place) or "body", str(error["msg"]).removeprefix("Value error, "))
    return [{"field": name, "message": message} for name, message in seen.items()]


def invalid_fields(problems: list[dict[str, str]]) -> JSONResponse:
    body = {"detail": "the request has invalid fields", "errors": problems}
    return JSONResponse(body, status_code=UNPROCESSABLE)


async def request_invalid(request: Request, error: Exception) -> JSONResponse:
    """FastAPI's validation errors in every service's shape: one message per field."""
    assert isinstance(error, RequestValidationError)
    return invalid_fields(field_problems(error.errors()))
