"""A server span per HTTP request, named by its route template (README, "Traces").

Pure ASGI, outermost in every service's app, so refusals by the request guard
or the token check are traced too; health checks and metrics scrapes are not.
The span is named `<METHOD> <route>` (`POST /enterprises`,
`GET /enterprises/{umkm_id}`), never by the raw path, which holds ids; its
attributes are the method, the route and the status. An incoming W3C
`traceparent` continues the caller's trace.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plut_shared.metrics.labels import HTTP_METHODS
from plut_shared.tracing.carriers import TRACE_HEADERS, context_from
from plut_shared.tracing.setup import started

# Probes and scrapes come every few seconds and follow nothing: a trace each
# would bury the ones worth reading.
UNTRACED_PATHS = frozenset({"/health", "/health/live", "/health/ready", "/metrics"})
# ASGI gives header names as lower-case bytes.
_TRACE_HEADER_NAMES = frozenset(name.encode() for name in TRACE_HEADERS)


class TracingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in UNTRACED_PATHS:
            await self.app(scope, receive, send)
            return
        # Any other method is named `_OTHER`, as the HTTP conventions say, so a
        # client cannot make span names up.
        method = scope["method"] if scope["method"] in HTTP_METHODS else "_OTHER"
        with started(
            method,
            context=context_from(_trace_headers(scope)),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method},
        ) as span:

            async def send_noting_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    _note_status(span, int(message["status"]))
                await send(message)

            try:
                await self.app(scope, receive, send_noting_status)
            finally:
                _name_by_route(span, method, scope)


def _trace_headers(scope: Scope) -> dict[str, str]:
    return {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in scope.get("headers", ())
        if name in _TRACE_HEADER_NAMES
    }


def _note_status(span: trace.Span, status: int) -> None:
    span.set_attribute("http.response.status_code", status)
    if status >= 500:  # a 4xx is the caller's mistake, not a failure of the service
        span.set_status(Status(StatusCode.ERROR))


def _name_by_route(span: trace.Span, method: str, scope: MutableMapping[str, Any]) -> None:
    """Routing put the matched route in the scope; its path is the template."""
    template = getattr(scope.get("route"), "path", None)
    if isinstance(template, str) and template:
        span.update_name(f"{method} {template}")
        span.set_attribute("http.route", template)
