"""The parts every service is assembled from, and its one ASGI app.

A service's `bootstrap.py` calls `build_host(...)` with its name, settings
and consumer queues, asks the host for an aggregate store per aggregate
collection (`host.aggregates(name, mapper)`), then calls
`create_service_app(...)` with its routers. The FastAPI lifespan starts the store client, the broker
(topology, subscribers) and the outbox relay, and stops them in reverse, so
HTTP commands and event subscribers live in one process. Every request is a
server span (`plut_shared.tracing`, README "Traces"). Nothing is created at
import time.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import APIRouter, FastAPI, Response
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from plut_shared.auth import TokenRegistry, install_auth
from plut_shared.http_guard import RequestGuard
from plut_shared.logs import configure_logging
from plut_shared.messaging import (
    AggregateStore,
    ConsumerQueue,
    Mapper,
    MessagingRuntime,
    OutboxRelay,
    topology_from_settings,
)
from plut_shared.metrics.endpoint import METRICS_PATH, install_metrics
from plut_shared.metrics.registry import ServiceMetrics
from plut_shared.problems import PROTECTED_ROUTE_RESPONSES
from plut_shared.settings import ServiceSettings
from plut_shared.tracing import TracingMiddleware, configure_tracing

log = logging.getLogger(__name__)

StartupHook = Callable[[], Awaitable[object]]  # what a hook returns is not used
A = TypeVar("A")


@dataclass
class ServiceHost:
    service: str
    settings: ServiceSettings
    mongo: AsyncMongoClient
    db: AsyncDatabase
    messaging: MessagingRuntime
    relay: OutboxRelay
    metrics: ServiceMetrics
    stores: list[AggregateStore] = field(default_factory=list)
    on_start: list[StartupHook] = field(default_factory=list)
    on_stop: list[StartupHook] = field(default_factory=list)

    def aggregates(self, collection: str, mapper: Mapper[A]) -> AggregateStore[A]:
        """The store of one aggregate collection, its events published by the relay."""
        store = AggregateStore(
            self.db[collection], mapper, producer=self.service, on_events=self.relay.notify
        )
        self.relay.watch(store.collection)
        self.stores.append(store)
        return store

    async def start(self) -> None:
        for store in self.stores:
            await store.create_indexes()
        for hook in self.on_start:
            await hook()
        await self.messaging.start()
        self.relay.start()
        log.info("service started")

    async def stop(self) -> None:
        # Background workers first (their last writes may carry events), then the
        # relay publishes what they left, then the broker: in-flight handlers
        # finish or their messages return to the queue. Anything still in an
        # outbox leaves with the start-up sweep of the next run.
        for hook in self.on_stop:
            await hook()
        await self.relay.stop()
        await self.messaging.stop()
        await self.mongo.close()
        log.info("service stopped")

    async def healthy(self) -> dict[str, bool]:
        try:
            await self.db.command("ping")
            store = True
        except Exception:
            store = False
        broker = await self.messaging.broker.ping(timeout=2)
        return {"store": store, "broker": bool(broker)}

    def stalled_consumers(self) -> list[str]:
        """Queues whose consumer holds deliveries and has finished none for a while."""
        return self.messaging.stalled_consumers()


def build_host(
    service: str,
    settings: ServiceSettings,
    *,
    queues: tuple[ConsumerQueue, ...] = (),
) -> ServiceHost:
    mongo: AsyncMongoClient = AsyncMongoClient(settings.mongo_url, tz_aware=True)
    db = mongo[settings.database or service]
    metrics = ServiceMetrics()
    messaging = MessagingRuntime(
        service,
        settings,
        topology_from_settings(service, settings, queues),
        metrics=metrics.kernel,
    )
    relay = OutboxRelay(
        messaging.publisher,
        sweep_interval=settings.relay_sweep_interval_s,
        lease_seconds=settings.relay_lease_s,
        metrics=metrics.kernel,
    )
    return ServiceHost(
        service=service,
        settings=settings,
        mongo=mongo,
        db=db,
        messaging=messaging,
        relay=relay,
        metrics=metrics,
    )


def health_router(host: ServiceHost) -> APIRouter:
    """`/health/live`: the process answers (restart it if not); `/health/ready`: it can
    work, store and broker reachable (send it traffic only then). `/health` is the
    readiness check too, for the compose healthcheck."""
    router = APIRouter(tags=["health"])

    async def readiness(response: Response) -> dict[str, object]:
        checks = await host.healthy()
        stalled = host.stalled_consumers()
        ok = all(checks.values()) and not stalled
        response.status_code = 200 if ok else 503
        consumers = {"consumers": "stalled" if stalled else "ok", "stalled_queues": stalled}
        return {"status": "ok" if ok else "degraded", **checks, **consumers}

    @router.get("/health/live", summary="Liveness: the process answers; no dependency checked")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    not_ready: dict[int | str, dict[str, Any]] = {
        503: {
            "description": "The store or the broker does not answer, or a consumer "
            "holds deliveries and finishes none"
        }
    }
    router.get(
        "/health/ready",
        summary="Readiness: store and broker reachable, consumers making progress",
        responses=not_ready,
    )(readiness)
    router.get(
        "/health",
        summary="Readiness (as /health/ready), for container healthchecks",
        responses=not_ready,
    )(readiness)
    return router


def create_service_app(
    host: ServiceHost,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    tokens: TokenRegistry,
    configure_logs: bool = True,
    body_limits: Mapping[str, int] | None = None,
) -> FastAPI:
    """`body_limits`: path -> largest body, for endpoints that take more than JSON (uploads)."""
    if configure_logs:
        configure_logging(host.service, host.settings.log_level)
    configure_tracing(host.service)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await host.start()
        try:
            yield
        finally:
            await host.stop()

    # FastAPI's own request spans would record raw paths and queries (ids, perhaps a
    # NIK); `TracingMiddleware` makes them without (README, "Traces").
    app = FastAPI(
        title=title, description=description, lifespan=lifespan, telemetry={"tracing": False}
    )
    app.state.host = host
    install_auth(app, tokens)
    app.include_router(health_router(host))
    for router in routers:
        app.include_router(router, responses=PROTECTED_ROUTE_RESPONSES)
    app.add_middleware(
        RequestGuard,
        public_paths=_public_paths(app),
        max_body_bytes=host.settings.max_body_bytes,
        body_limits=body_limits,
    )
    app.add_middleware(TracingMiddleware)  # outside the guard: refused requests are traced too
    install_metrics(app, host.metrics, host.settings)  # outermost: it times all of the above
    return app


def _public_paths(app: FastAPI) -> set[str]:
    """The health checks and the API documents need no API token; `/metrics` has its own."""
    documents = (app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url)
    health = {"/health", "/health/live", "/health/ready", METRICS_PATH}
    return health | {path for path in documents if path}
