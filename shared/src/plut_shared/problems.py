"""Error bodies every service gives, for the OpenAPI documents.

Every refusal is `{"detail": "<what is wrong>"}`; a service may add fields
(one message per invalid field, the id of a duplicate). The responses below
are what the shared door (`plut_shared.http_guard`) and FastAPI's own body
reading give on every route that needs a token.
"""

from __future__ import annotations

from typing import Any

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
