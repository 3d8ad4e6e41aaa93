"""Questions about many messages: what is due, what still waits, an owner's log.

The consumers' queries read by `_id` alone, so they cost the same however many
messages were ever sent: the dispatcher's due query reads the dispatch
schedule and then those messages (`adapters.scheduled_messages`); `waiting`
(a cancelling event) and `ids_of_owner` (an erasure) read the owner's list
(`adapters.owner_messages`) and then those messages, and pick in Python. An
officer's delivery log (`history_of`) and the start-up sweeps may scan (with
the indexes below on MongoDB); every write still goes through the aggregate
store by id.
`InMemoryMessageQueries` answers the same questions over the in-memory stores,
for use-case tests without a store.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from plut_shared.messaging import AggregateStore, InMemoryAggregateStore
from pymongo import ASCENDING

from notifications.adapters.dispatch_schedule import DispatchSchedule, StoredDispatchSchedule
from notifications.adapters.messages import MessageMapper
from notifications.adapters.owner_messages import OwnerMessages, StoredOwnerMessages
from notifications.adapters.scheduled_messages import due_from_schedule
from notifications.domain.delivery import WAITING_STATES, State
from notifications.domain.message import Message

log = logging.getLogger(__name__)

# An owner's log longer than this is cut: it is for reading, not for export.
HISTORY_LIMIT = 500


class MessageQueries(Protocol):
    async def due(self, now: datetime, limit: int) -> list[Message]:
        """Waiting messages whose time has come, and sends abandoned by a dead sender."""
        ...

    async def restore_schedule(self) -> int:
        """Make the missing entries of waiting and sending messages; returns how many changed.

        A scan of all messages: for the dispatcher's start, once.
        """
        ...

    async def waiting(
        self, umkm_id: str, templates: Sequence[str], *, about: tuple[str, Any]
    ) -> list[str]:
        """Ids of an owner's messages still waiting, of these templates, whose payload
        has `about` (field, value): the same session or appointment."""
        ...

    async def ids_of_owner(self, umkm_id: str) -> list[str]:
        """Ids of all an owner's stored messages."""
        ...

    async def history_of(self, umkm_id: str) -> list[Message]:
        """An owner's messages, oldest first."""
        ...


_UNSENT = [*(str(state) for state in WAITING_STATES), str(State.SENDING)]


class _OwnerQuestions:
    """An owner's messages as a cancelling event or an erasure asks for them: the
    owner's list, then those messages by `_id` (`adapters.owner_messages`)."""

    _owners: OwnerMessages

    async def _by_ids(self, message_ids: list[str]) -> dict[str, Message]:
        raise NotImplementedError

    async def waiting(
        self, umkm_id: str, templates: Sequence[str], *, about: tuple[str, Any]
    ) -> list[str]:
        mine = await self._owners_messages(umkm_id)
        return [message.message_id for message in _waiting(mine, templates, about)]

    async def ids_of_owner(self, umkm_id: str) -> list[str]:
        return [message.message_id for message in await self._owners_messages(umkm_id)]

    async def _owners_messages(self, umkm_id: str) -> list[Message]:
        """The owner's listed messages that were stored, in listing order."""
        listed = await self._owners.message_ids(umkm_id)
        found = await self._by_ids(listed) if listed else {}
        mine = (found.get(message_id) for message_id in listed)
        return [message for message in mine if message is not None and message.umkm_id == umkm_id]


class StoredMessageQueries(_OwnerQuestions):
    _owners: StoredOwnerMessages  # it also lists what was stored before the lists

    def __init__(
        self,
        messages: AggregateStore[Message],
        schedule: StoredDispatchSchedule,
        owners: StoredOwnerMessages,
    ) -> None:
        self._collection = messages.collection
        self._get = messages.get  # reads a torn read again (`plut_shared.messaging.seal`)
        self._schedule = schedule
        self._owners = owners
        self._mapper = MessageMapper()

    async def create_indexes(self) -> None:
        await self._collection.create_index([("state", ASCENDING), ("due_at", ASCENDING)])
        await self._collection.create_index([("umkm_id", ASCENDING), ("created_at", ASCENDING)])
        await self._schedule.create_indexes()

    async def due(self, now: datetime, limit: int) -> list[Message]:
        return await due_from_schedule(self._schedule, self._by_ids, self._get, now, limit)

    async def restore_schedule(self) -> int:
        unsent = self._collection.find({"state": {"$in": _UNSENT}})
        messages = [self._mapper.from_document(document) async for document in unsent]
        return await _restore(self._schedule, messages)

    async def restore_owner_lists(self, now: datetime) -> int:
        """List the messages stored without an owner's entry; for the start, before consuming."""
        return await self._owners.list_stored(self._collection, now)

    async def _by_ids(self, message_ids: list[str]) -> dict[str, Message]:
        found = self._collection.find({"_id": {"$in": message_ids}})
        return {document["_id"]: self._mapper.from_document(document) async for document in found}

    async def history_of(self, umkm_id: str) -> list[Message]:
        cursor = self._collection.find({"umkm_id": umkm_id}).sort("created_at", ASCENDING)
        return [self._mapper.from_document(doc) async for doc in cursor.limit(HISTORY_LIMIT)]


class InMemoryMessageQueries(_OwnerQuestions):
    def __init__(
        self,
        store: InMemoryAggregateStore[Message],
        schedule: DispatchSchedule,
        owners: OwnerMessages,
    ) -> None:
        self._store = store
        self._schedule = schedule
        self._owners = owners

    async def due(self, now: datetime, limit: int) -> list[Message]:
        return await due_from_schedule(self._schedule, self._by_ids, self._store.get, now, limit)

    async def restore_schedule(self) -> int:
        unsent = [message for message in await self._all() if message.next_due_at is not None]
        return await _restore(self._schedule, unsent)

    async def _by_ids(self, message_ids: list[str]) -> dict[str, Message]:
        found = [await self._store.get(message_id) for message_id in message_ids]
        return {message.message_id: message for message in found if message is not None}

    async def history_of(self, umkm_id: str) -> list[Message]:
        mine = [message for message in await self._all() if message.umkm_id == umkm_id]
        return sorted(mine, key=lambda message: message.created_at)[:HISTORY_LIMIT]

    async def _all(self) -> list[Message]:
        found = [await self._store.get(message_id) for message_id in list(self._store.documents)]
        return [message for message in found if message is not None]


def _waiting(
    messages: list[Message], templates: Sequence[str], about: tuple[str, Any]
) -> list[Message]:
    field, value = about
    return [
        message
        for message in messages
        if message.template in templates
        and message.is_waiting
        and (message.payload or {}).get(field) == value
    ]


async def _restore(schedule: DispatchSchedule, unsent: list[Message]) -> int:
    changed = 0
    for message in unsent:
        due_at = message.next_due_at
        if due_at is not None and await schedule.not_later_than(message.message_id, due_at):
            changed += 1
    if changed:
        log.info("dispatch schedule: %s entries made or moved earlier at start", changed)
    return changed
