"""Per-document locks inside one process.

FerretDB 1.x (the store used locally and in CI) applies an update by reading
the document, changing it in Go and writing the whole document back, without
a compare-and-swap: two concurrent updates of one document lose one of them
(200 concurrent `$inc` on one document left 15). MongoDB applies each update
atomically. So every write to an aggregate document, by a command handler or
by the outbox relay, holds that document's lock; then one process per service
is correct on both stores, and several replicas are correct on MongoDB.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable


class DocumentLocks:
    def __init__(self) -> None:
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._holders: dict[Hashable, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, collection: str, document_id: Hashable) -> AsyncIterator[None]:
        key = (collection, document_id)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[key] -= 1
            if self._holders[key] == 0:  # nobody waits: forget it so the map stays small
                del self._holders[key], self._locks[key]
