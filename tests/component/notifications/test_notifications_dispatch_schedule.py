"""The dispatch schedule on the real store: an entry per unsent message, none once it ended.

The service tests look at the `dispatch_schedule` collection beside the
messages; the crash tests write only one of the two documents (or remove the
entry) and check that nothing is lost. The last test counts what the due
query reads with the driver's command listener, never its time.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from notifications.adapters.messages import MessageMapper
from notifications.adapters.scheduled_messages import ScheduledMessages
from notifications.bootstrap import scheduled_messages
from notifications.domain.clock import FixedClock
from notifications.domain.message import Message
from notifications.domain.rules import rules_for
from plut_shared.messaging import AggregateStore, Cause
from pymongo import AsyncMongoClient, monitoring

from tests.component.notifications.events import erased, registered
from tests.component.notifications.test_notifications_quiet_hours import wib
from tests.support.waiting import eventually

CAUSE = Cause("corr-schedule")


async def only_message(service, umkm_id: str, state: str) -> dict[str, Any]:
    [message] = await eventually(
        lambda: service.messages(umkm_id),
        lambda docs: len(docs) == 1 and docs[0]["state"] == state,
    )
    return message


async def entry(service, message_id: str) -> dict[str, Any] | None:
    return await service.db.dispatch_schedule.find_one({"_id": message_id})


async def no_entry_left(service, message_id: str) -> None:
    await eventually(lambda: entry(service, message_id), lambda found: found is None)


async def test_a_welcome_is_sent_and_leaves_no_entry(service, provider, unique_id):
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    await provider.wait_for(1)
    message = await only_message(service, umkm_id, "delivered")
    await no_entry_left(service, message["_id"])


async def test_a_welcome_held_by_quiet_hours_keeps_an_entry_at_seven_and_goes_then(
    start_service, provider, unique_id
):
    clock = FixedClock(wib(10, 22))
    service = await start_service(clock=clock)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    message = await only_message(service, umkm_id, "scheduled")
    assert (await entry(service, message["_id"]))["due_at"] == wib(11, 7)
    clock.set(wib(11, 7))
    service.dispatcher.wake()
    await provider.wait_for(1)
    await no_entry_left(service, message["_id"])


async def test_a_retried_message_keeps_an_entry_at_its_retry_time(
    start_service, provider, unique_id
):
    service = await start_service(backoff_base_s=600, backoff_max_s=600)
    provider.fail_next(503)
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    message = await only_message(service, umkm_id, "retrying")
    found = await eventually(
        lambda: entry(service, message["_id"]),
        lambda found: found is not None and found["due_at"] == message["due_at"],
    )
    assert found["due_at"] > service.clock.now() + timedelta(seconds=500)


async def test_a_cancelled_message_leaves_no_entry(start_service, unique_id):
    service = await start_service(clock=FixedClock(wib(10, 22)))
    umkm_id = f"umkm-{unique_id}"
    await service.publish(registered(umkm_id))
    message = await only_message(service, umkm_id, "scheduled")
    assert await entry(service, message["_id"]) is not None
    await service.publish(erased(umkm_id))
    await only_message(service, umkm_id, "cancelled")
    await no_entry_left(service, message["_id"])


async def test_an_entry_whose_message_was_never_written_is_removed(
    start_service, mongo_client, database_name
):
    schedule = mongo_client[database_name].dispatch_schedule
    await schedule.insert_one({"_id": "crashed-before-its-message", "due_at": wib(10, 9)})
    service = await start_service(clock=FixedClock(wib(10, 10)))
    await no_entry_left(service, "crashed-before-its-message")


async def test_a_message_left_without_an_entry_is_sent_after_a_restart(
    start_service, provider, unique_id
):
    clock = FixedClock(wib(10, 22))
    first = await start_service(clock=clock)
    umkm_id = f"umkm-{unique_id}"
    await first.publish(registered(umkm_id))
    message = await only_message(first, umkm_id, "scheduled")
    await first.db.dispatch_schedule.delete_one({"_id": message["_id"]})  # the crash's gap
    clock.set(wib(11, 7))
    assert await first.dispatcher.dispatch_due() == 0  # without an entry nobody looks
    await first.stop()
    second = await start_service(clock=clock)
    await provider.wait_for(1)
    await only_message(second, umkm_id, "delivered")
    await no_entry_left(second, message["_id"])


class FindLog(monitoring.CommandListener):
    """Each `find` the driver sent: (collection, filter, how many documents came back)."""

    def __init__(self) -> None:
        self._asked: dict[int, tuple[str, Any]] = {}
        self.finds: list[tuple[str, Any, int]] = []
        self.other: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "find":
            self._asked[event.request_id] = (event.command["find"], event.command["filter"])
        elif event.command_name not in ("endSessions",):
            self.other.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        if event.request_id in self._asked:
            collection, query = self._asked.pop(event.request_id)
            self.finds.append((collection, query, len(event.reply["cursor"]["firstBatch"])))

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._asked.pop(event.request_id, None)


def welcome(number: int, due_in: timedelta = timedelta(0)) -> Message:
    envelope = registered(f"umkm-{number:05d}")
    [rule] = rules_for(envelope.event_type, envelope.payload)
    at = wib(10, 10) + due_in
    return Message.schedule(
        envelope, rule, {"umkm_id": f"umkm-{number:05d}"},
        language="id", channels=["whatsapp"], due_at=at, now=at,
    )  # fmt: skip


def delivered(number: int) -> Message:
    message = welcome(number)
    message.claim(wib(10, 10), wib(10, 12))
    message.delivered("whatsapp", f"provider-{number}", wib(10, 10))
    return message


async def sent_history(messages: ScheduledMessages, count: int) -> None:
    """`count` delivered messages: most stored as such, the last few sent step by step."""
    for start in range(0, count - 3, 100):
        numbers = range(start, min(start + 100, count - 3))
        await asyncio.gather(*(messages.add(delivered(n), CAUSE) for n in numbers))
    for number in range(count - 3, count):
        message = welcome(number)
        await messages.add(message, CAUSE)
        await messages.change(message.message_id, claim, CAUSE)
        await messages.change(message.message_id, deliver, CAUSE)


def claim(message: Message) -> bool:
    return message.claim(wib(10, 11), wib(10, 13))


def deliver(message: Message) -> None:
    message.delivered("whatsapp", None, wib(10, 11))


async def test_the_due_query_reads_only_unsent_entries_and_their_messages(infra, database_name):
    listener = FindLog()
    client: AsyncMongoClient = AsyncMongoClient(
        infra.mongo_url, tz_aware=True, event_listeners=[listener]
    )
    store = AggregateStore(client[database_name].messages, MessageMapper(), producer="n")
    messages, queries = scheduled_messages(store)
    await store.create_indexes()
    await queries.create_indexes()
    await sent_history(messages, 2_000)
    waiting = [welcome(2_000 + n, due_in=timedelta(minutes=n)) for n in range(3)]
    for message in waiting:
        await messages.add(message, CAUSE)
    listener.finds.clear()
    listener.other.clear()
    due = await queries.due(wib(10, 15), limit=10)
    assert [message.message_id for message in due] == [m.message_id for m in waiting]
    [(schedule, _, entries), (collection, by_id, read)] = listener.finds
    assert (schedule, entries) == ("dispatch_schedule", 3)
    assert (collection, read) == ("messages", 3)
    assert set(by_id) == {"_id"}  # the messages are read by _id alone
    assert listener.other == []
    assert await client[database_name].messages.count_documents({}) == 2_003
    assert await client[database_name].dispatch_schedule.count_documents({}) == 3
    await client.close()
