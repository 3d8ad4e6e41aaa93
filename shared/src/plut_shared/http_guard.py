"""The door every service's HTTP requests pass first: a token, then a bounded body.

A pure ASGI middleware, so it acts before FastAPI reads anything: FastAPI
reads and parses a request body before it resolves the dependencies that
check the token, so without this a caller with no token could make a service
parse a body of any size (a 91 MB JSON array took 13 s and 1.9 GB, and
`/health` stopped answering meanwhile).

- A request to a path that is not public must carry a known bearer token, or
  it gets the same 401 `plut_shared.auth` gives, before a byte of its body is
  read. The routes still resolve the principal themselves (roles, centres).
- A body larger than the path's limit gets a 413 naming the limit: at once when
  `Content-Length` says so, otherwise as soon as the streamed (chunked) bytes
  pass it, so no more than the limit is ever read.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

from fastapi import status
from fastapi.security.utils import get_authorization_scheme_param
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plut_shared.auth import (
    EXPIRED_BEARER_DETAIL,
    NO_BEARER_DETAIL,
    UNKNOWN_BEARER_DETAIL,
    installed_registry,
)

DEFAULT_MAX_BODY_BYTES = 1_048_576


class BodyTooLarge(HTTPException):
    """Raised from `receive`: FastAPI lets an HTTPException out of its body reading as is."""

    def __init__(self, limit: int) -> None:
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE, detail=too_large_detail(limit))


def too_large_detail(limit: int) -> str:
    return f"the request body is larger than the {limit} bytes this endpoint accepts"


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        public_paths: Collection[str],
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        body_limits: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.public_paths = frozenset(public_paths)
        self.max_body_bytes = max_body_bytes
        self.body_limits = dict(body_limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path not in self.public_paths:
            refusal = _token_refusal(scope)
            if refusal is not None:
                await _answer(send, status.HTTP_401_UNAUTHORIZED, refusal, challenge=True)
                return
        limit = self.body_limits.get(path, self.max_body_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _answer(send, status.HTTP_413_CONTENT_TOO_LARGE, too_large_detail(limit))
            return
        await self._bounded(scope, receive, send, limit)

    async def _bounded(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge as error:
            # Only a route that reads the body outside FastAPI's own reading gets here.
            if started:
                raise
            await _answer(send, error.status_code, str(error.detail))


def _token_refusal(scope: Scope) -> str | None:
    """Why the request's token is refused, or None when it names a known principal."""
    registry = installed_registry(scope["app"])
    if registry is None:
        return None  # the routes' own dependency fails closed on this wiring bug
    header = _header(scope, b"authorization")
    scheme, token = get_authorization_scheme_param(header)
    if scheme.lower() != "bearer" or not token:
        return NO_BEARER_DETAIL
    found = registry.grant(token)
    if found is None:
        return UNKNOWN_BEARER_DETAIL
    return EXPIRED_BEARER_DETAIL if found.expired() else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _content_length(scope: Scope) -> int | None:
    value = (_header(scope, b"content-length") or "").strip()
    if not value.isdigit():
        return None  # absent or malformed: the server refuses the latter; streamed bytes count
    # More digits than any limit has: no need to convert (Python refuses 4,300+ digits).
    return int(value) if len(value) < 19 else 10**18


async def _answer(send: Send, code: int, detail: str, *, challenge: bool = False) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if challenge:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": code, "headers": headers})
    await send({"type": "http.response.body", "body": body})
