"""The broker and the store are real servers reached over TCP."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import aio_pika
import pytest
from aiormq.exceptions import ChannelAccessRefused
from plut_shared.messaging.provisioning import SERVICES
from plut_shared.messaging.trust import broker_user
from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError


async def test_a_confirmed_persistent_message_is_consumed_from_a_durable_queue(
    amqp_url: str, unique_id: str
) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(f"probe-{unique_id}", durable=True)
        confirmation = await channel.default_exchange.publish(
            aio_pika.Message(
                b"halo", delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=unique_id
            ),
            routing_key=queue.name,
        )
        assert type(confirmation).__name__ == "Ack"
        message = await _get_one(queue)
        assert message.body == b"halo"
        assert message.message_id == unique_id
        await message.ack()
        await queue.delete()


async def _get_one(queue: aio_pika.abc.AbstractQueue) -> aio_pika.abc.AbstractIncomingMessage:
    for _ in range(50):
        message = await queue.get(fail=False)
        if message is not None:
            return message
        await asyncio.sleep(0.05)
    raise AssertionError("message never arrived")


async def test_a_document_written_with_the_async_client_reads_back(
    mongo_client: AsyncMongoClient, database_name: str
) -> None:
    collection = mongo_client[database_name]["enterprises"]
    await collection.insert_one(
        {"_id": "umkm-1", "business_name": "Sepatu Maja", "capital": 750_000_000}
    )
    found = await collection.find_one({"_id": "umkm-1"})
    assert found == {"_id": "umkm-1", "business_name": "Sepatu Maja", "capital": 750_000_000}


async def test_a_unique_index_rejects_a_second_document_with_the_same_key(
    mongo_client: AsyncMongoClient, database_name: str
) -> None:
    collection = mongo_client[database_name]["enterprises"]
    await collection.create_index("nib", unique=True)
    await collection.insert_one({"_id": "a", "nib": "1234567890123"})
    with pytest.raises(DuplicateKeyError):
        await collection.insert_one({"_id": "b", "nib": "1234567890123"})
    assert await collection.count_documents({}) == 1


async def test_the_infrastructure_script_provisions_one_broker_user_per_service(
    vhost_admin, tmp_path, unique_id: str
) -> None:
    from scripts.infra import provision_broker_users

    env_file, vhost, prefix = (
        tmp_path / "broker-env.json",
        f"plut-infra-{unique_id}",
        f"t{unique_id}-",
    )
    try:
        urls = provision_broker_users(env_file, vhost, prefix)
        assert provision_broker_users(env_file, vhost, prefix) == urls  # passwords are kept
        assert oct(env_file.stat().st_mode & 0o777) == "0o600"
        assert set(urls) == {f"PLUT_{s.upper()}_AMQP_URL" for s in SERVICES}
        for url in urls.values():
            connection = await aio_pika.connect(url)
            await connection.close()
    finally:
        vhost_admin.delete(vhost)
        for service in SERVICES:
            vhost_admin.provisioner.delete_user(broker_user(service, prefix))


async def test_the_compose_setup_step_provisions_users_from_the_environment(
    vhost_admin, monkeypatch, unique_id: str, capsys
) -> None:
    from plut_shared.messaging import provisioning

    vhost, prefix = f"plut-setup-{unique_id}", f"s{unique_id}-"
    admin = urlsplit(vhost_admin.amqp_url)
    for name, value in {
        "PLUT_RABBIT_MANAGEMENT_URL": str(vhost_admin.client.base_url)
        .rstrip("/")
        .removesuffix("/api"),
        "PLUT_BROKER_ADMIN_USER": admin.username or "guest",
        "PLUT_BROKER_ADMIN_PASSWORD": admin.password or "guest",
        "PLUT_BROKER_VHOST": vhost,
        "PLUT_BROKER_USER_PREFIX": prefix,
        "PLUT_REGISTRATION_BROKER_PASSWORD": "registration-secret",
    }.items():
        monkeypatch.setenv(name, value)
    try:
        assert provisioning.main() == 0
        assert capsys.readouterr().out.strip() == f"vhost {vhost}: users {prefix}registration"
        url = provisioning.service_url(
            vhost_admin.amqp_url, vhost, f"{prefix}registration", "registration-secret"
        )
        connection = await aio_pika.connect(url)
        channel = await connection.channel()
        with pytest.raises(ChannelAccessRefused):
            await channel.declare_queue("notifications.events", durable=True)
        await connection.close()
    finally:
        vhost_admin.delete(vhost)
        vhost_admin.provisioner.delete_user(f"{prefix}registration")
