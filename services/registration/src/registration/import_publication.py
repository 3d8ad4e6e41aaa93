"""How many of an import's `registered` events the relay has published.

An enterprise's event is published once its outbox is empty. The tracker
keeps the ids still unpublished and, when asked (an officer polls the job),
reads the outbox flag of at most `budget` of them by `_id`, which every store
answers from its index; ids found published are never read again. Asked more
often than every `pause` seconds it answers from memory, so polling costs the
store little, and the count only rises.
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
        budget: int = 2_000,
        pause: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._outboxes = outboxes
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
                batch = list(self._pending)[: self._budget]
                still = await self._outboxes.unpublished(batch)
                for umkm_id in batch:
                    if umkm_id not in still:
                        del self._pending[umkm_id]
                        self.published += 1
                    else:  # to the back, so the next look reads others first
                        del self._pending[umkm_id]
                        self._pending[umkm_id] = None
                self._checked_at = self._clock()
        return self.published
