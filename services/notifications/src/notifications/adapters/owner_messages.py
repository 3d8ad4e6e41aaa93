"""An owner's messages (collection `owner_messages`): what a cancellation or an erasure reads.

One document per owner, `{_id: umkm_id, message_ids: [...]}`. The consumer's
questions about one owner ("which of these reminders still wait?", "which
messages must an erasure scrub?") read this document by `_id` and then those
messages by `_id` (`{_id: {$in: ids}}`), because on the local store a filter
on any other field scans the whole collection (README, "Reliability"), and
`messages` keeps every message ever sent.

An id is listed *before* its message is first written (`ScheduledMessages.add`),
so every stored message is listed. An id whose message was never written (a
crash between the two writes) is harmless: readers skip ids they do not find.
Listing is `$addToSet` on `_id` alone, so a redelivered event lists nothing twice.

Size: an owner hears a handful of messages per training or referral step, a
few hundred over years. An id takes about 45 bytes of the owner's document
(1,000 messages: 45 kB; a document may hold 16 MB, some 350,000 ids), and a
cancellation or an erasure reads that owner's messages (1,000: about 1 MB).
There is no cap: an erasure must reach every message.

Messages stored before this index existed, or by a replica of an older version
during a rolling upgrade, have no entry: `list_stored` lists them when the
service starts, before its consumers do (`StoredMessageQueries.restore_owner_lists`).
It reads every message the first time and afterwards only those created since
a day before the previous sweep began, as noted in `owner_messages_sweep`.

`InMemoryOwnerMessages` keeps the same contract for use-case tests.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from notifications.adapters.dispatch_schedule import stored_precision

OWNER_MESSAGES = "owner_messages"
OWNER_MESSAGES_SWEEP = "owner_messages_sweep"

# Messages written while a sweep ran, by an older replica, or on a clock a little
# behind fall into the next sweep's window.
SWEEP_OVERLAP = timedelta(days=1)
_SWEEP_MARK = "messages"
_OWNERS_PER_BATCH = 500

log = logging.getLogger(__name__)
T = TypeVar("T")


class OwnerMessages(Protocol):
    async def add(self, umkm_id: str, message_id: str) -> None:
        """List the message among its owner's (once, however often it is called)."""
        ...

    async def message_ids(self, umkm_id: str) -> list[str]:
        """The owner's listed message ids, in the order they were listed."""
        ...


async def _retried_once(write: Callable[[], Awaitable[T]]) -> T:
    """Of two first listings for one owner the store refuses one insert; again, it updates."""
    try:
        return await write()
    except (DuplicateKeyError, BulkWriteError):
        return await write()  # every write here is an idempotent `$addToSet` or `$max`


class StoredOwnerMessages:
    def __init__(self, collection: AsyncCollection, sweep: AsyncCollection) -> None:
        self._collection = collection
        self._sweep = sweep

    async def add(self, umkm_id: str, message_id: str) -> None:
        update = {"$addToSet": {"message_ids": message_id}}
        await _retried_once(
            lambda: self._collection.update_one({"_id": umkm_id}, update, upsert=True)
        )

    async def message_ids(self, umkm_id: str) -> list[str]:
        found = await self._collection.find_one({"_id": umkm_id})
        return list(found.get("message_ids", [])) if found else []

    async def list_stored(self, messages: AsyncCollection, now: datetime) -> int:
        """List the stored messages not listed yet; returns how many were missing.

        A scan of `messages` (of the recent ones after the first time): at start only.
        """
        mark = await self._sweep.find_one({"_id": _SWEEP_MARK})
        query: dict[str, Any] = {}
        if mark is not None:
            query = {"created_at": {"$gte": mark["swept_from"] - SWEEP_OVERLAP}}
        stored: dict[str, list[str]] = {}
        async for message in messages.find(query, {"umkm_id": 1}):
            stored.setdefault(message["umkm_id"], []).append(message["_id"])
        owners = list(stored)
        missing = 0
        for start in range(0, len(owners), _OWNERS_PER_BATCH):
            batch = {owner: stored[owner] for owner in owners[start : start + _OWNERS_PER_BATCH]}
            missing += await self._list_missing(batch)
        mark_update = {"$max": {"swept_from": stored_precision(now)}}
        await _retried_once(
            lambda: self._sweep.update_one({"_id": _SWEEP_MARK}, mark_update, upsert=True)
        )
        if missing:
            log.info("owner messages: %s stored messages listed at start", missing)
        return missing

    async def _list_missing(self, stored: dict[str, list[str]]) -> int:
        """One read of these owners' lists by `_id`, one bulk write of what they lack."""
        found = self._collection.find({"_id": {"$in": list(stored)}})
        listed = {owner["_id"]: set(owner.get("message_ids", [])) async for owner in found}
        writes, missing = [], 0
        for umkm_id, message_ids in stored.items():
            lacking = [one for one in message_ids if one not in listed.get(umkm_id, set())]
            if lacking:
                update = {"$addToSet": {"message_ids": {"$each": lacking}}}
                writes.append(UpdateOne({"_id": umkm_id}, update, upsert=True))
                missing += len(lacking)
        if writes:
            await _retried_once(lambda: self._collection.bulk_write(writes, ordered=False))
        return missing


class InMemoryOwnerMessages:
    def __init__(self) -> None:
        self.lists: dict[str, list[str]] = {}

    async def add(self, umkm_id: str, message_id: str) -> None:
        listed = self.lists.setdefault(umkm_id, [])
        if message_id not in listed:
            listed.append(message_id)

    async def message_ids(self, umkm_id: str) -> list[str]:
        return list(self.lists.get(umkm_id, []))
