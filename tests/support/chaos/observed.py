"""What each part of the platform holds after a chaos run, read by the administrator.

Registration's documents and notifications' contacts and messages straight
from the store; the registered events from the probe queue (drained here);
the welcomes from the provider sink, every request and the ones it delivered
(the first per idempotency key, what the owner's phone shows).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import aio_pika
import httpx
from plut_cli.sinks import ProviderSink
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.support.chaos.platform import PROBE_QUEUE, ChaosPlatform

REGISTERED = "registration.umkm.registered"


@dataclass
class Observed:
    stored: dict[str, str] = field(default_factory=dict)  # umkm_id -> owner's phone
    outbox_pending: int = 0
    published: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    published_copies: int = 0  # deliveries at the probe, redeliveries of one event included
    contacts: set[str] = field(default_factory=set)
    welcomes: Counter[str] = field(default_factory=Counter)  # umkm_id -> welcome messages
    welcome_states: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)  # phone -> WhatsApp requests
    keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    delivered: Counter[str] = field(default_factory=Counter)  # phone -> shown to the owner


async def observe(platform: ChaosPlatform) -> Observed:
    seen = Observed()
    client: AsyncMongoClient = AsyncMongoClient(platform.store.url)
    try:
        await _registration(client[platform.database("registration")], seen)
        await _notifications(client[platform.database("notifications")], seen)
    finally:
        await client.close()
    await drain_probe(platform.admin_amqp_url, seen)
    sink_counts(platform.sink, seen)
    return seen


async def _registration(db: AsyncDatabase, seen: Observed) -> None:
    async for doc in db.enterprises.find({}, {"owner.phone": 1, "outbox_pending": 1}):
        seen.stored[doc["_id"]] = (doc.get("owner") or {}).get("phone", "")
        seen.outbox_pending += bool(doc.get("outbox_pending"))


async def _notifications(db: AsyncDatabase, seen: Observed) -> None:
    async for doc in db.contacts.find({}, {"_id": 1}):
        seen.contacts.add(doc["_id"])
    async for doc in db.messages.find({"template": "welcome"}, {"umkm_id": 1, "state": 1}):
        seen.welcomes[doc["umkm_id"]] += 1
        seen.welcome_states[doc["state"]] += 1


async def drain_probe(admin_url: str, seen: Observed) -> None:
    connection = await aio_pika.connect(admin_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.get_queue(PROBE_QUEUE, ensure=False)
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            if message.type == REGISTERED:
                seen.published_copies += 1
                seen.published[_subject(message.body)].add(str(message.message_id))


def _subject(body: bytes) -> str:
    return str(json.loads(body)["subject_id"])


def sink_counts(sink: ProviderSink, seen: Observed) -> None:
    for request in list(sink.requests):
        if request.channel == "whatsapp":
            seen.requests[request.to] += 1
            seen.keys[request.to].add(str(request.idempotency_key))
    for request in list(sink.delivered):
        if request.channel == "whatsapp":
            seen.delivered[request.to] += 1


async def in_motion(platform: ChaosPlatform) -> dict[str, int]:
    """What is still on its way: outbox events, queued deliveries, messages not yet final."""
    client: AsyncMongoClient = AsyncMongoClient(platform.store.url)
    try:
        registration = client[platform.database("registration")]
        notifications = client[platform.database("notifications")]
        outbox = await registration.enterprises.count_documents({"outbox_pending": True})
        waiting = await notifications.messages.count_documents(
            {"state": {"$in": ["scheduled", "sending", "retrying"]}}
        )
    finally:
        await client.close()
    return {"outbox": outbox, "unsent": waiting, "queued": queued(platform)}


def queued(platform: ChaosPlatform) -> int:
    response = httpx.get(
        f"{platform.broker.management_url}api/queues/{platform.vhost_path}",
        auth=("guest", "guest"),
        timeout=30,
    )
    response.raise_for_status()
    return sum(
        int(q.get("messages", 0))
        for q in response.json()
        if q["name"].startswith("notifications.events")
    )
