"""Message documents (collection `messages`): one per (event, template), the outbox carrier.

The `_id` is `rules.message_id(event_id, template)`, so scheduling is an insert
that a redelivered event cannot repeat: unique `_id` inserts are atomic on
MongoDB and FerretDB alike. Every later change goes through `AggregateWriter`
(versioned update + outbox events under the document lock), never a bare
update, because FerretDB 1.x loses concurrent updates of one document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from plut_shared.contracts import Envelope
from plut_shared.messaging import AggregateWriter, ConcurrentUpdate
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from notifications.domain.delivery import PENDING, State

log = logging.getLogger(__name__)

Document = dict[str, Any]
Update = dict[str, Any]
# Given the current document, the update and events to apply, or None for "nothing to do".
Mutation = Callable[[Document], tuple[Update, Sequence[Envelope]] | None]

_MAX_CONFLICTS = 10


class MessageStore:
    def __init__(self, collection: AsyncCollection, writer: AggregateWriter) -> None:
        self.collection = collection
        self._writer = writer

    async def create_indexes(self) -> None:
        await self.collection.create_index([("state", ASCENDING), ("due_at", ASCENDING)])
        await self.collection.create_index([("umkm_id", ASCENDING), ("created_at", ASCENDING)])

    async def schedule(self, document: Document) -> bool:
        """Insert a new message; False when this (event, template) was scheduled before."""
        try:
            await self._writer.insert(self.collection, document, [])
        except DuplicateKeyError:
            return False
        return True

    async def get(self, message_id: str) -> Document | None:
        return await self.collection.find_one({"_id": message_id})

    async def for_enterprise(self, umkm_id: str, limit: int = 500) -> list[Document]:
        cursor = self.collection.find({"umkm_id": umkm_id}).sort("created_at", ASCENDING)
        return await cursor.limit(limit).to_list()

    async def due(self, now: datetime, limit: int) -> list[Document]:
        """Pending messages whose time has come, and sends abandoned by a dead sender."""
        query = {
            "$or": [
                {"state": {"$in": [str(state) for state in PENDING]}, "due_at": {"$lte": now}},
                {"state": str(State.SENDING), "lease_until": {"$lt": now}},
            ]
        }
        return await self.collection.find(query).sort("due_at", ASCENDING).limit(limit).to_list()

    async def pending(self, umkm_id: str, templates: Sequence[str], **match: Any) -> list[str]:
        query = {
            "umkm_id": umkm_id,
            "template": {"$in": list(templates)},
            "state": {"$in": [str(state) for state in PENDING]},
            **{f"payload.{key}": value for key, value in match.items()},
        }
        return [doc["_id"] async for doc in self.collection.find(query, {"_id": 1})]

    async def ids_for_enterprise(self, umkm_id: str) -> list[str]:
        return [doc["_id"] async for doc in self.collection.find({"umkm_id": umkm_id}, {"_id": 1})]

    async def claim(self, document: Document, update: Update) -> Document | None:
        """Take a message read at its version; None when someone changed it first."""
        try:
            await self._writer.update(
                self.collection, document["_id"], document["version"], update, []
            )
        except ConcurrentUpdate:
            return None
        return await self.get(document["_id"])

    async def modify(self, message_id: str, mutation: Mutation) -> Document | None:
        """Apply `mutation` to the current document, re-reading after a concurrent change."""
        for _ in range(_MAX_CONFLICTS):
            document = await self.get(message_id)
            if document is None:
                return None
            change = mutation(document)
            if change is None:
                return document
            update, events = change
            try:
                await self._writer.update(
                    self.collection, message_id, document["version"], update, events
                )
            except ConcurrentUpdate:
                continue
            return await self.get(message_id)
        raise ConcurrentUpdate(f"messages/{message_id} kept changing")
