"""The registration service as one ASGI app against the real broker and store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from registration.bootstrap import create_app
from registration.config import RegistrationSettings

from tests.component.registration.examples import token_registry
from tests.support.event_probe import EventProbe
from tests.support.in_process import serving


@pytest.fixture
def app(
    infra, service_urls: dict[str, str], broker_user_prefix: str, database_name: str
) -> FastAPI:
    settings = RegistrationSettings(
        amqp_url=service_urls["registration"],
        broker_user_prefix=broker_user_prefix,
        mongo_url=infra.mongo_url,
        database=database_name,
        relay_sweep_interval_s=0.5,
    )
    return create_app(settings, token_registry())


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app) as http:
        yield http


@pytest.fixture
async def events(client: httpx.AsyncClient, amqp_url: str) -> AsyncIterator[EventProbe]:
    # After `client`: the service has declared the exchange the probe binds to.
    async with EventProbe(amqp_url, ["registration.#"]) as probe:
        yield probe
