"""Services run inside the test process, each on a broker vhost and databases of its own."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from tests.support.broker_admin import with_vhost


@dataclass(frozen=True)
class BrokerAccess:
    """The administrator's URL (probes), each service user's URL, and their name prefix."""

    admin_url: str
    service_urls: dict[str, str]
    user_prefix: str


@contextlib.asynccontextmanager
async def serving(
    app: FastAPI, *, shutdown_timeout: float = 30
) -> AsyncIterator[httpx.AsyncClient]:
    """The app started (its lifespan: store, broker, relay, consumers) and a client to it."""
    async with LifespanManager(
        app, startup_timeout=30, shutdown_timeout=shutdown_timeout
    ) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@contextlib.contextmanager
def own_broker(infra, vhost_admin, prefix: str) -> Iterator[BrokerAccess]:
    """A fresh vhost with every service's broker user on it; deleted afterwards."""
    name = vhost_admin.create(prefix)
    urls = {service: vhost_admin.service_url(name, service) for service in vhost_admin.passwords}
    try:
        yield BrokerAccess(with_vhost(infra.amqp_url, name), urls, vhost_admin.user_prefix)
    finally:
        vhost_admin.delete(name)


@contextlib.asynccontextmanager
async def own_databases(mongo_client, *services: str) -> AsyncIterator[tuple[str, ...]]:
    """A fresh database name per service; dropped afterwards."""
    names = tuple(f"test_{service}_{uuid.uuid4().hex[:10]}" for service in services)
    try:
        yield names
    finally:
        for name in names:
            await mongo_client.drop_database(name)
