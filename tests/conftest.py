"""Shared fixtures: a real broker (own vhost per test session) and a real store.

Services connect as their own broker users (`service_urls`), as in production;
`amqp_url` is the administrator's URL on the session vhost, for probes and
operator actions.

Nothing here skips: when the broker or the store does not answer, the tests
that need them fail with a message naming which one.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from tests.support.broker_admin import VhostAdmin, with_vhost
from tests.support.broker_control import BrokerControl
from tests.support.containers import Endpoints, endpoints

pytest_plugins = ["tests.support.spans"]  # `spans`: the spans a test made


@pytest.fixture(scope="session")
def infra() -> Iterator[Endpoints]:
    with endpoints() as found:
        yield found


@pytest.fixture(scope="session")
def vhost_admin(infra: Endpoints) -> Iterator[VhostAdmin]:
    admin = VhostAdmin(infra.amqp_url, infra.management_url)
    yield admin
    admin.close()


@pytest.fixture(scope="session")
def vhost(vhost_admin: VhostAdmin) -> Iterator[str]:
    name = vhost_admin.create()
    yield name
    vhost_admin.delete(name)


@pytest.fixture(scope="session")
def amqp_url(infra: Endpoints, vhost: str) -> str:
    return with_vhost(infra.amqp_url, vhost)


@pytest.fixture(scope="session")
def service_urls(vhost_admin: VhostAdmin, vhost: str) -> dict[str, str]:
    """service -> its broker URL on the session vhost (user `<prefix><service>`)."""
    return {service: vhost_admin.service_url(vhost, service) for service in vhost_admin.passwords}


@pytest.fixture(scope="session")
def broker_user_prefix(vhost_admin: VhostAdmin) -> str:
    return vhost_admin.user_prefix


@pytest.fixture(scope="session")
async def mongo_client(infra: Endpoints) -> AsyncIterator[AsyncMongoClient]:
    client: AsyncMongoClient = AsyncMongoClient(infra.mongo_url, serverSelectionTimeoutMS=5000)
    try:
        await client.admin.command("ping")
    except PyMongoError as error:
        raise RuntimeError(
            f"MongoDB-wire store at {infra.mongo_url} did not answer ({type(error).__name__}); "
            "start the infrastructure with `scripts/infra.py up`"
        ) from error
    yield client
    await client.close()


@pytest.fixture
async def database_name(mongo_client: AsyncMongoClient) -> AsyncIterator[str]:
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    await mongo_client.drop_database(name)


@pytest.fixture
def unique_id() -> str:
    return uuid.uuid4().hex[:12]


@pytest.fixture(scope="session")
def broker_control(infra: Endpoints) -> BrokerControl:
    return BrokerControl(infra.rabbit_container_id)
