"""How many of an import's `registered` events the relay has published.

An enterprise's event is published once its outbox is empty. The tracker
keeps the ids still unpublished, oldest first, and when asked (an officer
polls the job) reads their outbox flags by `_id`, which every store answers
from its index, a batch at a time: it goes on while whole batches turn out
published (the relay drains roughly in the order of the writes) and stops at
the first batch with an event still waiting, or at `budget` ids. Ids found
published are never read again; ids still waiting go to the back, so an
event that stays stuck does not hide the others. Asked more often than every
`pause` seconds it answers from memory. So polling costs the store about one
read per event plus one batch, and the count only rises.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import Protocol


class Outboxes(Protocol):
    async def unpublished(self, umkm_ids: list[str]) -> set[str]: ...


class PublicationTracker:
    def __init__(
        self,
        outboxes: Outboxes,
        *,
        batch: int = 250,
        budget: int = 2_000,
        pause: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._outboxes = outboxes
        self._batch = batch
        self._budget = budget
        self._pause = pause
        self._clock = clock
        self._pending: dict[str, None] = {}  # insertion-ordered: the oldest are read first
        self._followed: set[str] = set()
        self._lock = asyncio.Lock()
        self._checked_at = -pause
        self.published = 0

    @property
    def idle_for(self) -> float:
        return self._clock() - self._checked_at

    def follow(self, umkm_ids: Iterable[str]) -> None:
        """Count these enterprises' events too; ids already followed are ignored."""
        new = [umkm_id for umkm_id in umkm_ids if umkm_id not in self._followed]
        self._followed.update(new)
        self._pending.update(dict.fromkeys(new))

    async def refresh(self) -> int:
        async with self._lock:
            if self._pending and self.idle_for >= self._pause:
                read = 0
                while self._pending and read < self._budget:
                    batch = list(self._pending)[: self._batch]
                    read += len(batch)
                    if not await self._look(batch):
                        break  # the relay has not got this far: later ids wait too
                self._checked_at = self._clock()
        return self.published

    async def _look(self, batch: list[str]) -> bool:
        """Count the published ids of `batch`; the others go to the back, so the next look
        reads others first. True when every one was published."""
        still = await self._outboxes.unpublished(batch)
        for umkm_id in batch:
            del self._pending[umkm_id]
            if umkm_id in still:
                self._pending[umkm_id] = None
            else:
                self.published += 1
        return not still
