"""Local stand-ins for the providers, and the notifications service against them.

Each service test gets its own RabbitMQ vhost: the service's queue name is
fixed (`notifications.events`), and other tests in the session publish
registration events that must not reach this test's service and sinks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest
from notifications.adapters.channels import provider_client

from tests.component.notifications.service import RunningService, running_service
from tests.support.broker_admin import with_vhost
from tests.support.notification_sinks import FakeMessagingProvider, SmtpSink


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def provider() -> Iterator[FakeMessagingProvider]:
    with FakeMessagingProvider() as server:
        yield server


@pytest.fixture
async def provider_http(provider: FakeMessagingProvider) -> AsyncIterator[httpx.AsyncClient]:
    async with provider_client(provider.base_url, provider.token, timeout=2.0) as client:
        yield client


@pytest.fixture
def own_vhost_url(infra, vhost_admin) -> Iterator[str]:
    name = vhost_admin.create("plut-notif")
    yield with_vhost(infra.amqp_url, name)
    vhost_admin.delete(name)


StartService = Callable[..., Awaitable[RunningService]]


@pytest.fixture
async def start_service(
    infra, own_vhost_url: str, database_name: str, smtp_sink, provider
) -> AsyncIterator[StartService]:
    """Starts the service (settings overridable per test) wired to the sinks."""
    async with running_service(
        infra.mongo_url, own_vhost_url, database_name, smtp_sink, provider
    ) as start:
        yield start


@pytest.fixture
async def service(start_service: StartService) -> RunningService:
    return await start_service()
