"""`/metrics`, for Prometheus only: a bearer token of its own, never the officers' tokens.

Prometheus sends `Authorization: Bearer <token>` (its `authorization.
credentials_file`); the token comes from `PLUT_METRICS_TOKEN`, or the file
`PLUT_METRICS_TOKEN_FILE` names (each also per service, `PLUT_<SERVICE>_...`).
Without a configured token the endpoint refuses everyone, so a deployment
that forgot it exposes nothing. The API tokens (`auth`) do not open it: a
scraper needs no access to enterprises, and an officer's token no metrics.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response, status
from fastapi.security.utils import get_authorization_scheme_param
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import SecretStr

from plut_shared.metrics.http import HttpMetricsMiddleware
from plut_shared.metrics.registry import ServiceMetrics
from plut_shared.settings import ServiceSettings

log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"
REFUSED = "metrics need the bearer token configured in PLUT_METRICS_TOKEN"


class MetricsTokenError(ValueError):
    """The metrics token file is named but cannot be read."""


def metrics_token(token: SecretStr | None, token_file: Path | None) -> str | None:
    """The configured token: the file's first line wins over the variable."""
    if token_file is not None:
        try:
            text = token_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise MetricsTokenError(
                f"PLUT_METRICS_TOKEN_FILE {token_file}: {error.strerror or error}"
            ) from None
        return text.splitlines()[0].strip() if text else None
    value = token.get_secret_value().strip() if token is not None else ""
    return value or None


def install_metrics(app: FastAPI, metrics: ServiceMetrics, settings: ServiceSettings) -> None:
    """Serve `metrics` at `/metrics` and measure every request; call after every other
    middleware is added, so the measurement includes them."""
    token = metrics_token(settings.metrics_token, settings.metrics_token_file)
    if token is None:
        log.warning("/metrics refuses every request: PLUT_METRICS_TOKEN is not set")
    app.include_router(_router(metrics, token))
    app.add_middleware(HttpMetricsMiddleware, metrics=metrics.http)


def _router(metrics: ServiceMetrics, token: str | None) -> APIRouter:
    router = APIRouter()

    @router.get(METRICS_PATH, include_in_schema=False)
    async def scrape(request: Request) -> Response:
        if not _carries(request, token):
            return Response(
                content=f'{{"detail": "{REFUSED}"}}',
                status_code=status.HTTP_401_UNAUTHORIZED,
                media_type="application/json",
                headers={"WWW-Authenticate": "Bearer"},
            )
        # Off the event loop: rendering thousands of series takes milliseconds.
        body = await asyncio.to_thread(metrics.exposition)
        return Response(content=body, media_type=CONTENT_TYPE_LATEST)

    return router


def _carries(request: Request, token: str | None) -> bool:
    scheme, given = get_authorization_scheme_param(request.headers.get("authorization"))
    if token is None or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.encode(), token.encode())
