"""The dispatch schedule (collection `dispatch_schedule`): where the dispatcher looks.

One entry `{_id: message id, due_at}` per message still waiting or being sent,
so the dispatcher's question "what is due?" reads this small collection and
then the messages it names by `_id`, and costs the same whether the centre has
sent a hundred messages or a million. The message stays the truth; an entry
only says "look at this message from `due_at` on". Without transactions, the
entries are kept by write order (`adapters.scheduled_messages`): an entry may
be early or stale, never missing for a waiting message (see the README,
"Notifications").

`InMemoryDispatchSchedule` keeps the same contract for use-case tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol, TypeVar

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

DISPATCH_SCHEDULE = "dispatch_schedule"

T = TypeVar("T")


class DispatchSchedule(Protocol):
    async def not_later_than(self, message_id: str, due_at: datetime) -> bool:
        """Make the entry, or move it earlier, never later; True when it changed."""
        ...

    async def move(self, message_id: str, due_at: datetime) -> bool:
        """Set the entry's time (made if missing); True when that moved it later."""
        ...

    async def remove(self, message_id: str) -> bool:
        """Drop the entry; True when there was one."""
        ...

    async def due(self, now: datetime, limit: int) -> list[str]:
        """Message ids whose entries are due at `now`, earliest first."""
        ...


async def _upsert(write: Callable[[], Awaitable[T]]) -> T:
    """Of two first writes of one entry the store refuses one insert; again, it updates."""
    try:
        return await write()
    except DuplicateKeyError:
        return await write()


def stored_precision(moment: datetime) -> datetime:
    """BSON keeps milliseconds: compare what the store will hold (and gives back)."""
    return moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)


class StoredDispatchSchedule:
    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def create_indexes(self) -> None:
        await self._collection.create_index([("due_at", ASCENDING)])

    async def not_later_than(self, message_id: str, due_at: datetime) -> bool:
        update = {"$min": {"due_at": stored_precision(due_at)}}
        result = await _upsert(
            lambda: self._collection.update_one({"_id": message_id}, update, upsert=True)
        )
        return result.upserted_id is not None or result.modified_count > 0

    async def move(self, message_id: str, due_at: datetime) -> bool:
        due_at = stored_precision(due_at)
        previous = await _upsert(
            lambda: self._collection.find_one_and_update(
                {"_id": message_id},
                {"$set": {"due_at": due_at}},
                upsert=True,
                return_document=ReturnDocument.BEFORE,
            )
        )
        return previous is not None and previous["due_at"] < due_at

    async def remove(self, message_id: str) -> bool:
        result = await self._collection.delete_one({"_id": message_id})
        return result.deleted_count > 0

    async def due(self, now: datetime, limit: int) -> list[str]:
        # A scan of the schedule on the local store: it holds only unsent messages.
        found = self._collection.find({"due_at": {"$lte": now}}, {"_id": 1})
        return [entry["_id"] async for entry in found.sort("due_at", ASCENDING).limit(limit)]


class InMemoryDispatchSchedule:
    def __init__(self) -> None:
        self.entries: dict[str, datetime] = {}

    async def not_later_than(self, message_id: str, due_at: datetime) -> bool:
        current = self.entries.get(message_id)
        if current is not None and current <= due_at:
            return False
        self.entries[message_id] = due_at
        return True

    async def move(self, message_id: str, due_at: datetime) -> bool:
        previous = self.entries.get(message_id)
        self.entries[message_id] = due_at
        return previous is not None and previous < due_at

    async def remove(self, message_id: str) -> bool:
        return self.entries.pop(message_id, None) is not None

    async def due(self, now: datetime, limit: int) -> list[str]:
        due = sorted((at, message_id) for message_id, at in self.entries.items() if at <= now)
        return [message_id for _, message_id in due[:limit]]
