"""The message queries give the same answers on the store and on the in-memory fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from notifications.adapters.dispatch_schedule import InMemoryDispatchSchedule
from notifications.adapters.message_queries import InMemoryMessageQueries, MessageQueries
from notifications.adapters.messages import MessageMapper
from notifications.adapters.owner_messages import InMemoryOwnerMessages
from notifications.adapters.scheduled_messages import ScheduledMessages
from notifications.bootstrap import scheduled_messages
from notifications.domain.delivery import CancelReason
from notifications.domain.message import Message
from notifications.domain.rules import Rule
from plut_shared.contracts import make_envelope
from plut_shared.contracts.training import EnrollmentConfirmed
from plut_shared.messaging import AggregateStore, Cause, InMemoryAggregateStore
from pymongo import AsyncMongoClient

from tests.unit.notifications.harness import MORNING

CAUSE = Cause("corr-queries")


@dataclass
class Messages:
    store: Any
    queries: MessageQueries

    async def add(self, message_id: str, umkm_id: str = "umkm-1", **options: Any) -> Message:
        message = _message(message_id, umkm_id, **options)
        await self.store.add(message, CAUSE)
        return message


@pytest.fixture(params=["store", "memory"])
async def messages(request, infra, database_name: str) -> AsyncIterator[Messages]:
    if request.param == "memory":
        memory = InMemoryAggregateStore(MessageMapper(), producer="notifications")
        schedule, owners = InMemoryDispatchSchedule(), InMemoryOwnerMessages()
        yield Messages(
            ScheduledMessages(memory, schedule, owners),
            InMemoryMessageQueries(memory, schedule, owners),
        )
        return
    client: AsyncMongoClient = AsyncMongoClient(infra.mongo_url, tz_aware=True)
    store = AggregateStore(
        client[database_name].messages, MessageMapper(), producer="notifications"
    )
    scheduled, queries = scheduled_messages(store)
    await store.create_indexes()
    await queries.create_indexes()
    yield Messages(scheduled, queries)
    await client.close()


def _message(
    message_id: str, umkm_id: str, due_in: timedelta = timedelta(0), session: str = "s-1"
) -> Message:
    payload = EnrollmentConfirmed(
        umkm_id=umkm_id,
        session_id=session,
        topic="Pemasaran digital",
        starts_at=MORNING + timedelta(days=3),
        place="Aula PLUT",
    )
    event = make_envelope(
        payload, producer="training", centre_id="c", subject_id=umkm_id, correlation_id="corr"
    )
    message = Message.schedule(
        event,
        Rule("training.enrollment.confirmed", "training_reminder"),
        payload.model_dump(mode="json"),
        language="id",
        channels=["whatsapp"],
        due_at=MORNING + due_in,
        now=MORNING + due_in,  # created in due order, for the log's order
    )
    message.message_id = message_id  # readable ids in the assertions
    return message


async def test_due_lists_waiting_messages_whose_time_came_earliest_first(messages):
    await messages.add("later", due_in=timedelta(minutes=5))
    await messages.add("now")
    await messages.add("tomorrow", due_in=timedelta(days=1))
    due = await messages.queries.due(MORNING + timedelta(minutes=5), limit=10)
    assert [message.message_id for message in due] == ["now", "later"]
    assert len(await messages.queries.due(MORNING + timedelta(minutes=5), limit=1)) == 1


async def test_due_includes_a_claimed_message_only_once_its_lease_ran_out(messages):
    await messages.add("claimed")
    lease_until = MORNING + timedelta(minutes=2)
    await messages.store.change("claimed", lambda m: m.claim(MORNING, lease_until), CAUSE)
    assert await messages.queries.due(MORNING + timedelta(minutes=1), limit=10) == []
    [again] = await messages.queries.due(MORNING + timedelta(minutes=3), limit=10)
    assert again.message_id == "claimed"


async def test_waiting_finds_an_owners_waiting_messages_of_a_template_and_session(messages):
    await messages.add("mine", session="s-1")
    await messages.add("other-session", session="s-2")
    await messages.add("other-owner", umkm_id="umkm-2", session="s-1")
    await messages.add("cancelled", session="s-1")
    await messages.store.change(
        "cancelled", lambda m: m.cancel(CancelReason.SUPERSEDED, MORNING), CAUSE
    )
    about = ("session_id", "s-1")
    found = await messages.queries.waiting("umkm-1", ["training_reminder"], about=about)
    assert found == ["mine"]
    assert await messages.queries.waiting("umkm-1", ["welcome"], about=about) == []


async def test_an_owners_history_comes_oldest_first_and_ids_list_them_all(messages):
    await messages.add("second", due_in=timedelta(minutes=1))
    await messages.add("first")
    await messages.add("someone-else", umkm_id="umkm-2")
    history = await messages.queries.history_of("umkm-1")
    assert [message.message_id for message in history] == ["first", "second"]
    assert history[0] == await messages.store.get("first")
    assert sorted(await messages.queries.ids_of_owner("umkm-1")) == ["first", "second"]
