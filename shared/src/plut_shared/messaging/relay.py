"""The outbox relay: publishes the events aggregates carry, in order, once each.

It wakes at once when the service wrote events (`notify`), and sweeps the
collections at start-up and every `sweep_interval` for what a crash left
(`outbox_pending` is indexed on MongoDB; the local store scans, which is fine
for a periodic sweep). Many aggregates drain at once (bounded), so many
confirms are in flight, while each aggregate's events leave strictly in order,
each after the previous one was confirmed. A lease on the aggregate document
(`outbox_lease`: compare-and-swaps on the holder, never on the version, so
the relay never makes a writer retry) keeps two replicas from publishing the
same events; if a replica dies, its lease expires and another takes over (then
an event may be published twice, which idempotent consumers absorb).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.background import BackgroundLoop
from plut_shared.contracts import Envelope
from plut_shared.logs import log_context
from plut_shared.messaging import outbox_lease
from plut_shared.messaging.outbox import LEASE_HOLDER, LEASE_UNTIL, OUTBOX, OUTBOX_PENDING, VERSION
from plut_shared.messaging.publisher import EventPublisher
from plut_shared.tracing.kernel import from_outbox

log = logging.getLogger(__name__)

SWEEP_BATCH = 500


class OutboxRelay:
    def __init__(
        self,
        publisher: EventPublisher,
        *,
        lease_seconds: float = 30.0,
        sweep_interval: float = 30.0,
        concurrency: int = 32,
        retry_pause: float = 1.0,
    ) -> None:
        self._collections: dict[str, AsyncCollection] = {}
        self._publisher = publisher
        self._lease = timedelta(seconds=lease_seconds)
        self._sweep_interval = sweep_interval
        self._gate = asyncio.Semaphore(concurrency)
        self._hints: set[tuple[str, Any]] = set()
        self._next_sweep = 0.0  # sweep at once on start: a crash may have left events
        self._loop = BackgroundLoop(
            "outbox-relay", self._round, interval=sweep_interval, retry_pause=retry_pause
        )
        self.published = 0

    def watch(self, collection: AsyncCollection) -> None:
        """Publish the outboxes of this aggregate collection."""
        self._collections[collection.name] = collection

    def notify(self, collection: str, aggregate_id: Any) -> None:
        """Called right after a local write so its events leave without delay."""
        self._hints.add((collection, aggregate_id))
        self._loop.wake()

    def start(self) -> None:
        self._loop.start()

    async def stop(self, final_drain_s: float = 2.0) -> None:
        """Stop the loop, then publish what was written just before (bounded in time)."""
        await self._loop.stop()
        try:
            await asyncio.wait_for(self._drain_hinted(), final_drain_s)
        except Exception:
            log.warning("events left in the outbox at shutdown", exc_info=True)

    async def _round(self) -> float:
        if time.monotonic() >= self._next_sweep:
            await self.sweep()
            self._next_sweep = time.monotonic() + self._sweep_interval
        await self._drain_hinted()
        return max(0.0, self._next_sweep - time.monotonic())

    async def _drain_hinted(self) -> None:
        while self._hints:
            hints, self._hints = self._hints, set()
            try:
                await self._drain_all([(self._collections[name], key) for name, key in hints])
            except BaseException:
                self._hints |= hints  # drained ones find nothing to do next time
                raise

    async def sweep(self) -> int:
        """Publish whatever is pending in any collection; returns events published."""
        before = self.published
        for collection in self._collections.values():
            pending = collection.find({OUTBOX_PENDING: True}, {"_id": 1}).limit(SWEEP_BATCH)
            ids = [document["_id"] async for document in pending]
            await self._drain_all([(collection, aggregate_id) for aggregate_id in ids])
        return self.published - before

    async def _drain_all(self, targets: list[tuple[AsyncCollection, Any]]) -> None:
        async def bounded(collection: AsyncCollection, aggregate_id: Any) -> None:
            async with self._gate:
                await self.drain(collection, aggregate_id)

        results = await asyncio.gather(
            *(bounded(c, key) for c, key in targets), return_exceptions=True
        )
        failures = [result for result in results if isinstance(result, BaseException)]
        if failures:
            raise failures[0]

    async def drain(self, collection: AsyncCollection, aggregate_id: Any) -> None:
        """Publish one aggregate's outbox in order, then remove what was published."""
        token = uuid.uuid4().hex
        while (events := await self._claim(collection, aggregate_id, token)) is not None:
            for envelope in events:
                await self._publish(envelope)
            ids = [envelope.event_id for envelope in events]
            after = await outbox_lease.remove_published(collection, aggregate_id, token, ids)
            if after is None:
                return  # the lease ran out meanwhile; its new holder publishes the rest
            if not after.get(OUTBOX):
                await outbox_lease.mark_drained(collection, aggregate_id, after[VERSION])
                return
            # Events were appended while we published: they follow in the next round.

    async def _claim(
        self, collection: AsyncCollection, aggregate_id: Any, token: str
    ) -> list[Envelope] | None:
        """Take the lease; the events to publish, or None when there is nothing for us."""
        while True:
            document = await collection.find_one({"_id": aggregate_id})
            if document is None:
                return None
            if not document.get(OUTBOX):
                if document.get(OUTBOX_PENDING):
                    # A relay died between emptying the outbox and clearing the flag.
                    await outbox_lease.mark_drained(collection, aggregate_id, document[VERSION])
                return None
            now = datetime.now(UTC)
            holder, until = document.get(LEASE_HOLDER, ""), document.get(LEASE_UNTIL)
            if until is not None and until.tzinfo is None:  # clients without tz_aware
                until = until.replace(tzinfo=UTC)
            if holder not in ("", token) and until is not None and until > now:
                return None  # another relay is publishing these events
            if await outbox_lease.take(collection, aggregate_id, holder, token, now + self._lease):
                return [from_outbox(raw) for raw in document[OUTBOX]]
            # Another relay took it between the read and the write: look again.

    async def _publish(self, envelope: Envelope) -> None:
        with log_context(
            event_id=envelope.event_id,
            correlation_id=envelope.correlation_id,
            event_type=envelope.event_type,
        ):
            await self._publisher.publish_event(envelope)
            self.published += 1
            log.debug("event published")
