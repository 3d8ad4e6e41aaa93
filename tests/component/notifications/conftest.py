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

from tests.component.notifications.service import BrokerAccess, RunningService, running_service
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
def own_vhost(vhost_admin) -> Iterator[str]:
    name = vhost_admin.create("plut-notif")
    yield name
    vhost_admin.delete(name)


@pytest.fixture
def own_vhost_url(infra, own_vhost: str) -> str:
    """The administrator's URL on the test's vhost (probes, operator actions)."""
    return with_vhost(infra.amqp_url, own_vhost)


@pytest.fixture
def own_service_urls(vhost_admin, own_vhost: str) -> dict[str, str]:
    """service -> its own broker user's URL on the test's vhost."""
    return {s: vhost_admin.service_url(own_vhost, s) for s in vhost_admin.passwords}


StartService = Callable[..., Awaitable[RunningService]]


@pytest.fixture
async def start_service(
    infra,
    own_vhost_url: str,
    own_service_urls: dict[str, str],
    broker_user_prefix: str,
    database_name: str,
    smtp_sink,
    provider,
) -> AsyncIterator[StartService]:
    """Starts the service (settings overridable per test) wired to the sinks."""
    broker = BrokerAccess(own_vhost_url, own_service_urls, broker_user_prefix)
    async with running_service(
        infra.mongo_url, broker, database_name, smtp_sink, provider
    ) as start:
        yield start


@pytest.fixture
async def service(start_service: StartService) -> RunningService:
    return await start_service()
