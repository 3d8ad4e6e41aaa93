"""First-come-first-served locks by key, inside one process.

The consumer uses them to apply the events of one subject in delivery order,
one at a time (asyncio locks are FIFO), while events of different subjects run
concurrently. They order work; they are not what makes a store write correct:
that is the compare-and-swap on `{_id, version}` (see `writes`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable


class KeyedLocks:
    def __init__(self) -> None:
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._holders: dict[Hashable, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, *key_parts: Hashable) -> AsyncIterator[None]:
        key = tuple(key_parts)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[key] -= 1
            if self._holders[key] == 0:  # nobody waits: forget it so the map stays small
                del self._holders[key], self._locks[key]
