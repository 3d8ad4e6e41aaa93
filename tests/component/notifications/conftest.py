"""Local stand-ins for the notification providers, one fresh server per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from notifications.adapters.channels import provider_client

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
