"""The training service as one ASGI app against the real broker and store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from training.bootstrap import create_app
from training.config import TrainingSettings

from tests.component.registration.examples import token_registry
from tests.component.training.support import RETRY_DELAYS_MS, MovableClock
from tests.support.event_probe import EventProbe
from tests.support.event_sender import EventSender
from tests.support.in_process import serving


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def training_settings(
    infra, service_urls: dict[str, str], broker_user_prefix: str, database_name: str
) -> TrainingSettings:
    return TrainingSettings(
        amqp_url=service_urls["training"],
        broker_user_prefix=broker_user_prefix,
        mongo_url=infra.mongo_url,
        database=database_name,
        relay_sweep_interval_s=0.5,
        retry_delays_ms=RETRY_DELAYS_MS,
        max_body_bytes=20_000,
    )


@pytest.fixture
async def client(
    training_settings: TrainingSettings, clock: MovableClock
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(training_settings, token_registry(), clock=clock)
    async with serving(app) as http:
        yield http


@pytest.fixture
async def events(client: httpx.AsyncClient, amqp_url: str) -> AsyncIterator[EventProbe]:
    # After `client`: the service has declared the exchange the probe binds to.
    async with EventProbe(amqp_url, ["training.#"]) as probe:
        yield probe


@pytest.fixture
async def sender(service_urls: dict[str, str]) -> AsyncIterator[EventSender]:
    """Publishes `registration.*` as registration's broker user, whom training trusts."""
    async with EventSender(service_urls) as events_sender:
        yield events_sender
