from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from tests.support.counter_service import Behaviour, CounterService, settings_for


@pytest.fixture
async def start_service(amqp_url: str, infra, database_name: str, unique_id: str):
    """Starts counter services (one per call) sharing the test's database and queue."""
    running: list[CounterService] = []

    async def start(behaviour: Behaviour | None = None, **overrides) -> CounterService:
        settings = settings_for(amqp_url, infra.mongo_url, **overrides)
        service = CounterService(f"kernel-{unique_id}", settings, database_name, behaviour)
        await service.start()
        running.append(service)
        return service

    yield start
    for service in running:
        await service.stop()


@pytest.fixture
async def service(start_service: Callable) -> AsyncIterator[CounterService]:
    yield await start_service()
