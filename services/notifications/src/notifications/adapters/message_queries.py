"""Read-only questions about many messages: what is due, what still waits, an owner's log.

These are the dispatcher's polling query and operator queries, so they may
scan (with the indexes below on MongoDB); every write still goes through the
aggregate store by id. `InMemoryMessageQueries` answers the same questions
over the in-memory aggregate store, for use-case tests without a store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from plut_shared.messaging import InMemoryAggregateStore
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from notifications.adapters.messages import MessageMapper
from notifications.domain.delivery import WAITING_STATES, State
from notifications.domain.message import Message

# An owner's log longer than this is cut: it is for reading, not for export.
HISTORY_LIMIT = 500


class MessageQueries(Protocol):
    async def due(self, now: datetime, limit: int) -> list[Message]:
        """Waiting messages whose time has come, and sends abandoned by a dead sender."""
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


class StoredMessageQueries:
    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection
        self._mapper = MessageMapper()

    async def create_indexes(self) -> None:
        await self._collection.create_index([("state", ASCENDING), ("due_at", ASCENDING)])
        await self._collection.create_index([("umkm_id", ASCENDING), ("created_at", ASCENDING)])

    async def due(self, now: datetime, limit: int) -> list[Message]:
        query = {
            "$or": [
                {"state": {"$in": _WAITING}, "due_at": {"$lte": now}},
                {"state": str(State.SENDING), "lease_until": {"$lt": now}},
            ]
        }
        cursor = self._collection.find(query).sort("due_at", ASCENDING).limit(limit)
        return [self._mapper.from_document(document) async for document in cursor]

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
    def __init__(self, store: InMemoryAggregateStore[Message]) -> None:
        self._store = store

    async def due(self, now: datetime, limit: int) -> list[Message]:
        due = [message for message in await self._all() if message.is_due(now)]
        return sorted(due, key=lambda message: message.due_at)[:limit]

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
