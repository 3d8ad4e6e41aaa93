"""Questions about many messages: what is due, what still waits, an owner's log.

The dispatcher's due query reads the dispatch schedule and then messages by
`_id` (`adapters.scheduled_messages`), so it costs the same however many
messages were ever sent. The others are an event's or an officer's queries and
may scan (with the indexes below on MongoDB), as may the dispatcher's start-up
sweep; every write still goes through the aggregate store by id.
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
        self, umkm_id: str, templates: Sequence[str], *, session_id: Any = None
    ) -> list[str]:
        """Ids of an owner's messages still waiting, of these templates (and this session)."""
        ...

    async def ids_of_owner(self, umkm_id: str) -> list[str]: ...

    async def history_of(self, umkm_id: str) -> list[Message]:
        """An owner's messages, oldest first."""
        ...


_WAITING = [str(state) for state in WAITING_STATES]
_UNSENT = [*_WAITING, str(State.SENDING)]


class StoredMessageQueries:
    def __init__(self, messages: AggregateStore[Message], schedule: StoredDispatchSchedule) -> None:
        self._collection = messages.collection
        self._get = messages.get  # reads a torn read again (`plut_shared.messaging.seal`)
        self._schedule = schedule
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

    async def _by_ids(self, message_ids: list[str]) -> dict[str, Message]:
        found = self._collection.find({"_id": {"$in": message_ids}})
        return {document["_id"]: self._mapper.from_document(document) async for document in found}

    async def waiting(
        self, umkm_id: str, templates: Sequence[str], *, session_id: Any = None
    ) -> list[str]:
        query: dict[str, Any] = {
            "umkm_id": umkm_id,
            "template": {"$in": list(templates)},
            "state": {"$in": _WAITING},
        }
        if session_id is not None:
            query["payload.session_id"] = session_id
        return [document["_id"] async for document in self._collection.find(query, {"_id": 1})]

    async def ids_of_owner(self, umkm_id: str) -> list[str]:
        found = self._collection.find({"umkm_id": umkm_id}, {"_id": 1})
        return [document["_id"] async for document in found]

    async def history_of(self, umkm_id: str) -> list[Message]:
        cursor = self._collection.find({"umkm_id": umkm_id}).sort("created_at", ASCENDING)
        return [self._mapper.from_document(doc) async for doc in cursor.limit(HISTORY_LIMIT)]


class InMemoryMessageQueries:
    def __init__(self, store: InMemoryAggregateStore[Message], schedule: DispatchSchedule) -> None:
        self._store = store
        self._schedule = schedule

    async def due(self, now: datetime, limit: int) -> list[Message]:
        return await due_from_schedule(self._schedule, self._by_ids, self._store.get, now, limit)

    async def restore_schedule(self) -> int:
        unsent = [message for message in await self._all() if message.next_due_at is not None]
        return await _restore(self._schedule, unsent)

    async def _by_ids(self, message_ids: list[str]) -> dict[str, Message]:
        found = [await self._store.get(message_id) for message_id in message_ids]
        return {message.message_id: message for message in found if message is not None}

    async def waiting(
        self, umkm_id: str, templates: Sequence[str], *, session_id: Any = None
    ) -> list[str]:
        return [
            message.message_id
            for message in await self._all()
            if message.umkm_id == umkm_id
            and message.template in templates
            and message.is_waiting
            and (session_id is None or (message.payload or {}).get("session_id") == session_id)
        ]

    async def ids_of_owner(self, umkm_id: str) -> list[str]:
        return [message.message_id for message in await self.history_of(umkm_id)]

    async def history_of(self, umkm_id: str) -> list[Message]:
        mine = [message for message in await self._all() if message.umkm_id == umkm_id]
        return sorted(mine, key=lambda message: message.created_at)[:HISTORY_LIMIT]

    async def _all(self) -> list[Message]:
        found = [await self._store.get(message_id) for message_id in list(self._store.documents)]
        return [message for message in found if message is not None]


async def _restore(schedule: DispatchSchedule, unsent: list[Message]) -> int:
    changed = 0
    for message in unsent:
        due_at = message.next_due_at
        if due_at is not None and await schedule.not_later_than(message.message_id, due_at):
            changed += 1
    if changed:
        log.info("dispatch schedule: %s entries made or moved earlier at start", changed)
    return changed
