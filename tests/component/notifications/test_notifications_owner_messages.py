"""The owner's messages list on the real store: consumers read by `_id` only, and nothing is missed.

The handlers run on a client with the driver's command listener, so a test
sees every filter the store was given while a cancelling event and an erasure
were handled (on the local store any filter but `_id` scans the collection).
Messages stored before the list existed are written through the bare
aggregate store, as an older version of the service wrote them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from notifications.adapters.contact_book import CONTACTS, ContactMapper
from notifications.adapters.message_queries import StoredMessageQueries
from notifications.adapters.messages import MESSAGES, MessageMapper
from notifications.adapters.owner_messages import StoredOwnerMessages
from notifications.adapters.scheduled_messages import ScheduledMessages
from notifications.bootstrap import scheduled_messages
from notifications.domain.clock import FixedClock
from notifications.domain.message import Message
from notifications.domain.rules import rules_for
from notifications.handlers import NotificationHandlers
from plut_shared.contracts import Envelope, parse_payload
from plut_shared.messaging import AggregateStore, Cause
from pymongo import AsyncMongoClient, monitoring
from pymongo.errors import DuplicateKeyError

from tests.component.notifications.events import cancelled, confirmed, enrollment, erased
from tests.component.notifications.events import registered as registration
from tests.component.notifications.test_notifications_quiet_hours import wib
from tests.support.waiting import eventually

CAUSE = Cause("corr-owners")
NOW = wib(10, 10)
REMINDER = "training_reminder"
BY_ID = ({"_id"}, {"_id", "version"})  # the filters the store answers from an index


class FilterLog(monitoring.CommandListener):
    """Each command the driver sent: (command, collection, the keys of each filter in it)."""

    def __init__(self) -> None:
        self.commands: list[tuple[str, str, list[set[str]]]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        command = event.command
        name = event.command_name
        if name in ("endSessions", "ping", "hello", "isMaster"):
            return
        filters = {
            "find": lambda: [command["filter"]],
            "findAndModify": lambda: [command["query"]],
            "update": lambda: [update["q"] for update in command["updates"]],
            "delete": lambda: [delete["q"] for delete in command["deletes"]],
            "insert": lambda: [],
        }.get(name, lambda: [{"(unexpected command)": name}])()
        self.commands.append((name, str(command[name]), [set(f) for f in filters]))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def not_by_id(self) -> list[tuple[str, str, list[set[str]]]]:
        return [entry for entry in self.commands if any(keys not in BY_ID for keys in entry[2])]

    def collections(self) -> set[str]:
        return {collection for _, collection, _ in self.commands}


@dataclass
class Consumer:
    """The notification handlers on a monitored client, and what they write through."""

    client: AsyncMongoClient
    log: FilterLog
    raw: AggregateStore[Message]
    messages: ScheduledMessages
    queries: StoredMessageQueries
    handlers: NotificationHandlers

    async def handle(self, envelope: Envelope) -> None:
        await self.handlers.routes()[envelope.event_type](envelope, parse_payload(envelope))

    async def listed(self, umkm_id: str) -> list[str]:
        found = await self.raw.collection.database.owner_messages.find_one({"_id": umkm_id})
        return [] if found is None else found["message_ids"]

    async def stored(self, umkm_id: str) -> list[dict[str, Any]]:
        return await self.raw.collection.find({"umkm_id": umkm_id}).to_list()


@pytest.fixture
async def consumer(infra, database_name: str) -> AsyncIterator[Consumer]:
    log = FilterLog()
    client: AsyncMongoClient = AsyncMongoClient(
        infra.mongo_url, tz_aware=True, event_listeners=[log]
    )
    database = client[database_name]
    raw = AggregateStore(database[MESSAGES], MessageMapper(), producer="notifications")
    contacts = AggregateStore(database[CONTACTS], ContactMapper(), producer="notifications")
    messages, queries = scheduled_messages(raw)
    for store in (raw, contacts, queries):
        await store.create_indexes()
    handlers = NotificationHandlers(contacts, messages, queries, FixedClock(NOW), lambda: None)
    yield Consumer(client, log, raw, messages, queries, handlers)
    await client.close()


def confirmation(umkm_id: str, session_id: str = "session-42") -> Envelope:
    return enrollment(confirmed, umkm_id, NOW + timedelta(days=3), session_id)


def cancellation(umkm_id: str, session_id: str = "session-42") -> Envelope:
    return enrollment(cancelled, umkm_id, NOW + timedelta(days=3), session_id)


def old_welcome(umkm_id: str) -> Message:
    """A welcome as an earlier version stored it: no owner's list knows it."""
    envelope = registration(umkm_id)
    [rule] = rules_for(envelope.event_type, envelope.payload)
    return Message.schedule(
        envelope, rule, {"umkm_id": umkm_id}, language="id",
        channels=["whatsapp"], due_at=NOW, now=NOW,
    )  # fmt: skip


async def test_a_cancelling_event_and_an_erasure_filter_on_id_alone(consumer, unique_id):
    umkm_id = f"umkm-{unique_id}"
    for other in range(30):  # other owners' messages, which a scan would read
        await consumer.handle(registration(f"other-{other}-{unique_id}"))
    await consumer.handle(registration(umkm_id))
    await consumer.handle(confirmation(umkm_id, "session-42"))
    await consumer.handle(confirmation(umkm_id, "session-43"))
    consumer.log.commands.clear()
    await consumer.handle(cancellation(umkm_id, "session-42"))
    await consumer.handle(erased(umkm_id))
    assert {"messages", "owner_messages"} <= consumer.log.collections()
    assert consumer.log.not_by_id() == []
    states = {(doc["template"], doc.get("cancel_reason")) for doc in await consumer.stored(umkm_id)}
    assert (REMINDER, "superseded") in states  # session 42's, by the cancellation
    assert (REMINDER, "erased") in states  # session 43's, by the erasure
    assert all("payload" not in doc for doc in await consumer.stored(umkm_id))


async def test_a_redelivered_event_lists_its_messages_once(consumer, unique_id):
    umkm_id = f"umkm-{unique_id}"
    event = confirmation(umkm_id)
    for _ in range(3):
        await consumer.handle(event)
    listed = await consumer.listed(umkm_id)
    assert sorted(listed) == sorted(doc["_id"] for doc in await consumer.stored(umkm_id))
    assert len(listed) == 2  # the confirmation and its reminder


async def test_concurrent_first_listings_of_one_owner_all_stay(infra, database_name, unique_id):
    client: AsyncMongoClient = AsyncMongoClient(infra.mongo_url, tz_aware=True)
    database = client[database_name]
    owners = StoredOwnerMessages(database.owner_messages, database.owner_messages_sweep)
    ids = [f"message-{number}" for number in range(20)]
    await asyncio.gather(*(owners.add(f"umkm-{unique_id}", one) for one in ids))
    assert sorted(await owners.message_ids(f"umkm-{unique_id}")) == sorted(ids)
    await client.close()


class LosesFirstUpsertRace:
    """The collection, but its first `update_one` fails as the loser of two first upserts
    does on MongoDB (the local store answers them one after the other)."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection
        self.refused = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)

    async def update_one(self, *args: Any, **kwargs: Any) -> Any:
        if not self.refused:
            self.refused += 1
            raise DuplicateKeyError("E11000 duplicate key error")
        return await self._collection.update_one(*args, **kwargs)


async def test_a_listing_that_loses_the_first_upsert_race_is_tried_again(
    mongo_client, database_name, unique_id
):
    database = mongo_client[database_name]
    racing = LosesFirstUpsertRace(database.owner_messages)
    owners = StoredOwnerMessages(racing, database.owner_messages_sweep)  # type: ignore[arg-type]
    await owners.add(f"umkm-{unique_id}", "message-1")
    assert racing.refused == 1
    assert await owners.message_ids(f"umkm-{unique_id}") == ["message-1"]


async def test_the_start_sweep_lists_messages_stored_before_the_list(consumer, unique_id):
    umkm_id = f"umkm-{unique_id}"
    old = [old_welcome(f"{umkm_id}-{n}") for n in range(3)]
    for message in old:
        await consumer.raw.add(message, CAUSE)  # no owner's list, as before this version
    assert await consumer.queries.ids_of_owner(old[0].umkm_id) == []
    assert await consumer.queries.restore_owner_lists(NOW) == 3
    for message in old:
        assert await consumer.queries.ids_of_owner(message.umkm_id) == [message.message_id]
    assert await consumer.queries.restore_owner_lists(NOW) == 0  # nothing twice


async def test_later_sweeps_read_only_the_recent_messages(consumer, unique_id):
    await consumer.queries.restore_owner_lists(NOW)
    recent, older = old_welcome(f"recent-{unique_id}"), old_welcome(f"older-{unique_id}")
    older.created_at = NOW - timedelta(days=3)  # before the window: the first sweep's job
    for message in (recent, older):
        await consumer.raw.add(message, CAUSE)
    consumer.log.commands.clear()
    assert await consumer.queries.restore_owner_lists(NOW + timedelta(hours=1)) == 1
    [window] = [keys for name, where, keys in consumer.log.commands if where == "messages"]
    assert window == [{"created_at"}]
    assert await consumer.queries.ids_of_owner(recent.umkm_id) == [recent.message_id]
    assert await consumer.queries.ids_of_owner(older.umkm_id) == []


async def test_a_service_upgraded_over_old_messages_cancels_and_erases_them(
    start_service, mongo_client, database_name, provider, unique_id
):
    umkm_id = f"umkm-{unique_id}"
    raw = AggregateStore(
        mongo_client[database_name].messages, MessageMapper(), producer="notifications"
    )
    reminder = await reminder_stored_before_the_list(raw, umkm_id)
    service = await start_service(clock=FixedClock(NOW))
    await service.publish(cancellation(umkm_id))
    await eventually(
        lambda: raw.collection.find_one({"_id": reminder.message_id}),
        lambda doc: doc["state"] == "cancelled" and doc["cancel_reason"] == "superseded",
    )
    await service.publish(erased(umkm_id))
    await eventually(
        lambda: raw.collection.find_one({"_id": reminder.message_id}),
        lambda doc: "erased_at" in doc and "payload" not in doc,
    )


async def reminder_stored_before_the_list(raw: AggregateStore[Message], umkm_id: str) -> Message:
    event = confirmation(umkm_id)
    payload = parse_payload(event)
    [rule] = [rule for rule in rules_for(event.event_type, payload) if rule.template == REMINDER]
    reminder = Message.schedule(
        event, rule, payload.model_dump(mode="json"), language="id",
        channels=["whatsapp"], due_at=NOW + timedelta(days=2), now=NOW,
    )  # fmt: skip
    await raw.add(reminder, CAUSE)
    return reminder
