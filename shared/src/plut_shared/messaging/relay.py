"""The outbox relay: publishes events that aggregates carry, in order, once each.

It wakes at once when the service wrote something (`notify`), and sweeps the
collections every `sweep_interval` for leftovers after a crash. A lease on the
aggregate document keeps two replicas from publishing the same events in
normal operation; if a replica dies, its lease expires and another takes over
(then an event may be published twice, which idempotent consumers absorb).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.contracts import Envelope
from plut_shared.logs import log_context
from plut_shared.messaging.locks import DocumentLocks
from plut_shared.messaging.outbox import LEASE_OWNER, LEASE_UNTIL, OUTBOX, PENDING
from plut_shared.messaging.publisher import EventPublisher

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        collections: list[AsyncCollection],
        publisher: EventPublisher,
        locks: DocumentLocks,
        *,
        lease_seconds: float = 30.0,
        sweep_interval: float = 2.0,
    ) -> None:
        self._collections = {c.name: c for c in collections}
        self._publisher = publisher
        self._locks = locks
        self._lease = timedelta(seconds=lease_seconds)
        self._sweep_interval = sweep_interval
        self._owner = uuid.uuid4().hex
        self._wake = asyncio.Event()
        self._hints: set[tuple[str, Any]] = set()
        self._task: asyncio.Task[None] | None = None
        self.published = 0

    def notify(self, collection: str, aggregate_id: Any) -> None:
        """Called right after a local write so its events leave without delay."""
        self._hints.add((collection, aggregate_id))
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._sweep_interval)
            self._wake.clear()
            try:
                await self._drain_hinted()
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:
                # Store or broker unavailable: keep the events, try again next round.
                log.warning("outbox relay round failed", exc_info=True)
                await asyncio.sleep(self._sweep_interval)

    async def _drain_hinted(self) -> None:
        hints, self._hints = self._hints, set()
        for name, aggregate_id in hints:
            await self.drain(self._collections[name], aggregate_id)

    async def sweep(self) -> int:
        """Publish whatever is pending in any collection; returns events published."""
        before = self.published
        for collection in self._collections.values():
            cursor = collection.find({PENDING: True}, {"_id": 1}).limit(500)
            async for document in cursor:
                await self.drain(collection, document["_id"])
        return self.published - before

    async def drain(self, collection: AsyncCollection, aggregate_id: Any) -> None:
        document = await self._claim(collection, aggregate_id)
        while document is not None:
            for raw in document.get(OUTBOX, []):
                await self._publish_then_remove(collection, aggregate_id, raw)
            document = await self._release_or_reclaim(collection, aggregate_id)

    async def _claim(self, collection: AsyncCollection, aggregate_id: Any) -> dict | None:
        now = datetime.now(UTC)
        free = [{LEASE_UNTIL: None}, {LEASE_UNTIL: {"$lt": now}}, {LEASE_OWNER: self._owner}]
        async with self._locks.hold(collection.name, aggregate_id):
            return await collection.find_one_and_update(
                {"_id": aggregate_id, PENDING: True, "$or": free},
                {"$set": {LEASE_OWNER: self._owner, LEASE_UNTIL: now + self._lease}},
                # No projection: FerretDB 1.x does not implement it for findAndModify.
                return_document=ReturnDocument.AFTER,
            )

    async def _publish_then_remove(
        self, collection: AsyncCollection, aggregate_id: Any, raw: dict[str, Any]
    ) -> None:
        envelope = Envelope.model_validate(raw)
        with log_context(
            event_id=envelope.event_id,
            correlation_id=envelope.correlation_id,
            event_type=envelope.event_type,
        ):
            await self._publisher.publish_event(envelope)
            # Only the head is removed, and only if it is still this event, so
            # a concurrent append never loses an event and order is kept.
            async with self._locks.hold(collection.name, aggregate_id):
                await collection.update_one(
                    {"_id": aggregate_id, f"{OUTBOX}.0.event_id": envelope.event_id},
                    {"$pop": {OUTBOX: -1}},
                )
            self.published += 1
            log.debug("event published")

    async def _release_or_reclaim(
        self, collection: AsyncCollection, aggregate_id: Any
    ) -> dict | None:
        async with self._locks.hold(collection.name, aggregate_id):
            released = await collection.update_one(
                {"_id": aggregate_id, LEASE_OWNER: self._owner, OUTBOX: {"$size": 0}},
                {"$set": {PENDING: False}, "$unset": {LEASE_OWNER: "", LEASE_UNTIL: ""}},
            )
        if released.matched_count:
            return None
        # New events were appended while publishing: take them too, in order.
        return await self._claim(collection, aggregate_id)
