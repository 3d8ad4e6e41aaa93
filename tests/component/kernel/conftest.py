from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from plut_shared.metrics.kernel import KernelMetrics

from tests.support.counter_service import Behaviour, CounterService, settings_for


@pytest.fixture
def testkit_url(service_urls: dict[str, str]) -> str:
    """The counter service's broker URL: the user that owns `testkit.*` events."""
    return service_urls["testkit"]


@pytest.fixture
async def start_service(
    service_urls: dict[str, str], broker_user_prefix: str, infra, database_name: str, unique_id: str
):
    """Starts counter services (one per call) sharing the test's database and queue.

    They connect as the `testkit` broker user (the owner of `testkit.*`), or as
    `user=` another test user; `relay=False` leaves the relay for the test to drive.
    """
    running: list[CounterService] = []

    async def start(
        behaviour: Behaviour | None = None,
        user: str = "testkit",
        relay: bool = True,
        metrics: KernelMetrics | None = None,
        **overrides,
    ) -> CounterService:
        overrides.setdefault("broker_user_prefix", broker_user_prefix)
        settings = settings_for(service_urls[user], infra.mongo_url, **overrides)
        service = CounterService(f"kernel-{unique_id}", settings, database_name, behaviour, metrics)
        await service.start(relay=relay)
        running.append(service)
        return service

    yield start
    for service in running:
        await service.stop()


@pytest.fixture
async def service(start_service: Callable) -> AsyncIterator[CounterService]:
    yield await start_service()
