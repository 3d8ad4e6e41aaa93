"""HTTP metrics: requests by method, route template and status; durations by method and route.

A pure ASGI middleware, outermost, so it also sees the answers the request
guard gives before routing (401, 413). The route label is the template the
request matched (`/enterprises/{umkm_id}`), never the path itself, so ids
never become labels; a path no route matches is labelled `unmatched`.
"""

from __future__ import annotations

import logging
import re
import time

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plut_shared.metrics.labels import method_label

log = logging.getLogger(__name__)

UNMATCHED = "unmatched"


class HttpMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "plut_http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ["method", "route", "status"],
            registry=registry,
        )
        # Without the status: a histogram per status would multiply its 17 series per
        # route by every status seen, and the scrape with them.
        self.durations = Histogram(
            "plut_http_request_duration_seconds",
            "Time from an HTTP request to the end of its answer, by method and route template.",
            ["method", "route"],
            registry=registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method_label(method)
        self.requests.labels(method, route, str(status)).inc()
        self.durations.labels(method, route).observe(seconds)


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics
        self.templates = RouteTemplates()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app raises before answering

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.observe(scope["method"], self.templates.of(scope), status, elapsed)


class RouteTemplates:
    """The path template a request matched, or `unmatched`."""

    def __init__(self) -> None:
        self._patterns: list[tuple[re.Pattern[str], str]] | None = None

    def of(self, scope: Scope) -> str:
        dispatched = getattr(scope.get("route"), "path", None)  # set by FastAPI's routing
        if isinstance(dispatched, str):
            return dispatched
        # Answered before routing (the guard's 401 or 413), or a route FastAPI does not
        # note (the API document pages): the path it was for.
        if self._patterns is None:
            try:
                self._patterns = _patterns(scope["app"])
            except Exception:  # a metric label must never cost a request its answer
                log.warning("route templates unavailable; labelling as unmatched", exc_info=True)
                self._patterns = []
        path = scope["path"]
        return next((t for pattern, t in self._patterns if pattern.fullmatch(path)), UNMATCHED)


def _patterns(app: FastAPI) -> list[tuple[re.Pattern[str], str]]:
    """A pattern per path of the API document and of the app's own routes (the document
    pages), fixed paths first (they win over `{id}`)."""
    own = {getattr(route, "path", None) for route in app.router.routes}
    known = set(app.openapi().get("paths", {})) | {path for path in own if isinstance(path, str)}
    templates = sorted(known, key=lambda t: ("{" in t, t))
    return [(_pattern(template), template) for template in templates]


_PARAMETER = re.compile(r"\{[^/}]+\}")


def _pattern(template: str) -> re.Pattern[str]:
    """`/enterprises/{umkm_id}` -> one path segment where the parameter is."""
    return re.compile("[^/]+".join(re.escape(part) for part in _PARAMETER.split(template)))
