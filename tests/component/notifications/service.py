"""The notifications service running in the test's event loop, and ways to talk to it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from notifications.bootstrap import create_app
from notifications.config import NotificationsSettings
from notifications.dispatcher import Dispatcher
from notifications.domain.clock import JAKARTA, Clock
from plut_shared.auth import TokenEntry, TokenRegistry
from plut_shared.contracts import Envelope
from pymongo.asynchronous.database import AsyncDatabase

from tests.support.event_probe import EventProbe
from tests.support.event_sender import EventSender
from tests.support.in_process import BrokerAccess, serving
from tests.support.notification_sinks import FakeMessagingProvider, SmtpSink

CENTRE = "kota-mojokerto"
OFFICER = "officer-token-mojokerto"
OTHER_CENTRE_OFFICER = "officer-token-batu"
VIEWER = "viewer-token-mojokerto"


def token_registry() -> TokenRegistry:
    return TokenRegistry(
        [
            TokenEntry.for_token(OFFICER, subject="officer-1", role="officer", centres=[CENTRE]),
            TokenEntry.for_token(
                OTHER_CENTRE_OFFICER, subject="officer-2", role="officer", centres=["batu"]
            ),
            TokenEntry.for_token(VIEWER, subject="viewer-1", role="viewer", centres=[CENTRE]),
        ]
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class DaytimeClock:
    """Real time flowing from 10:00 WIB, so retries and backoff run at any hour of the test run.

    With the system clock, a test run at night would see quiet hours hold WhatsApp back.
    """

    def __init__(self, start: datetime = datetime(2026, 11, 10, 10, 0, tzinfo=JAKARTA)) -> None:
        self._start = start.astimezone(UTC)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


@dataclass
class RunningService:
    app: FastAPI
    http: httpx.AsyncClient
    events: EventProbe
    sender: EventSender
    settings: NotificationsSettings
    clock: Clock
    stack: contextlib.AsyncExitStack

    async def stop(self) -> None:
        """Shut the service down (lifespan shutdown), as a deploy or a crash-restart would."""
        await self.stack.aclose()

    @property
    def db(self) -> AsyncDatabase:
        return self.app.state.host.db

    @property
    def dispatcher(self) -> Dispatcher:
        return self.app.state.dispatcher

    async def publish(self, envelope: Envelope) -> None:
        """As the service that owns the event type would (registration.* as registration)."""
        await self.sender.publish(envelope)

    async def messages(self, umkm_id: str) -> list[dict[str, Any]]:
        return await self.db.messages.find({"umkm_id": umkm_id}).to_list()

    async def contact(self, umkm_id: str) -> dict[str, Any] | None:
        return await self.db.contacts.find_one({"_id": umkm_id})


def settings_for(
    broker: BrokerAccess,
    mongo_url: str,
    database: str,
    smtp: SmtpSink,
    provider: FakeMessagingProvider,
    **overrides: Any,
) -> NotificationsSettings:
    values: dict[str, Any] = {
        "amqp_url": broker.service_urls["notifications"],
        "broker_user_prefix": broker.user_prefix,
        "mongo_url": mongo_url,
        "database": database,
        "smtp_host": smtp.host,
        "smtp_port": smtp.port,
        "smtp_from": "plut@example.id",
        "smtp_timeout_s": 5,
        "provider_base_url": provider.base_url,
        "provider_token": provider.token,
        "provider_timeout_s": 2,
        "max_attempts": 3,
        "backoff_base_s": 0.05,
        "backoff_max_s": 0.2,
        "dispatch_poll_interval_s": 0.05,
        "retry_delays_ms": (200, 400),
        "immediate_attempts": 2,
        "relay_sweep_interval_s": 0.2,
        "relay_lease_s": 1.0,
        "graceful_timeout_s": 5,
        **overrides,
    }
    return NotificationsSettings(**values)


@contextlib.asynccontextmanager
async def running_service(
    mongo_url: str,
    broker: BrokerAccess,
    database: str,
    smtp: SmtpSink,
    provider: FakeMessagingProvider,
) -> AsyncIterator[Any]:
    started: list[RunningService] = []

    async def start(clock: Clock | None = None, **overrides: Any) -> RunningService:
        settings = settings_for(broker, mongo_url, database, smtp, provider, **overrides)
        clock = clock or DaytimeClock()
        app = create_app(settings, token_registry(), clock=clock)
        stack = contextlib.AsyncExitStack()
        http = await stack.enter_async_context(serving(app))
        # After start-up: the service has declared the exchange the probe binds to.
        events = await stack.enter_async_context(EventProbe(broker.admin_url, ["notifications.#"]))
        sender = await stack.enter_async_context(EventSender(broker.service_urls))
        service = RunningService(app, http, events, sender, settings, clock, stack)
        started.append(service)
        return service

    try:
        yield start
    finally:
        for service in reversed(started):
            await service.stop()
