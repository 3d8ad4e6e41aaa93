"""The outbox relay: publishes the events aggregates carry, in order, once each.

It wakes at once when the service wrote events (`notify`), and sweeps the
collections at start-up and every `sweep_interval` for what a crash left
(`outbox_pending` is indexed on MongoDB; the local store scans, which is fine
for a periodic sweep). It works in batches of aggregates: one read of the
whole batch, one bulk write to lease it and one read of the outboxes it now
holds (only those are published), then every aggregate's events go out
at once across aggregates (so many confirms are in flight) while each
aggregate's events leave strictly in order, each after the previous one was
confirmed, and one bulk write finishes the batch (`outbox_lease`). A lease
(compare-and-swaps on the holder, never on the version, so the relay never
makes a writer retry) keeps two replicas from publishing the same events; if
a replica dies, its lease runs out and another takes over (then an event may
be published twice, which idempotent consumers absorb).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.background import BackgroundLoop
from plut_shared.contracts import Envelope
from plut_shared.logs import log_context
from plut_shared.messaging import outbox_lease
from plut_shared.messaging.outbox import OUTBOX_PENDING
from plut_shared.messaging.publisher import EventPublisher
from plut_shared.metrics.backlog import PENDING_FIELDS, observe_outbox
from plut_shared.metrics.kernel import KernelMetrics
from plut_shared.tracing.kernel import from_outbox

log = logging.getLogger(__name__)

SWEEP_BATCH = 500
LOOK_AGAIN_S = 0.5  # after an aggregate was found leased by another relay


class OutboxRelay:
    def __init__(
        self,
        publisher: EventPublisher,
        *,
        lease_seconds: float = 30.0,
        sweep_interval: float = 30.0,
        batch_size: int = 100,
        concurrency: int = 4,
        retry_pause: float = 1.0,
        metrics: KernelMetrics | None = None,
    ) -> None:
        self._metrics = metrics or KernelMetrics()
        self._collections: dict[str, AsyncCollection] = {}
        self._publisher = publisher
        self._lease = timedelta(seconds=lease_seconds)
        self._sweep_interval = sweep_interval
        self._batch_size = batch_size
        self._gate = asyncio.Semaphore(concurrency)  # batches at once
        self._hints: set[tuple[str, Any]] = set()
        # Aggregates another relay was publishing when hinted: looked at again shortly,
        # as the events that hint announced may not be among those it publishes.
        self._deferred: set[tuple[str, Any]] = set()
        self._next_look = 0.0
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
        if self._deferred and time.monotonic() >= self._next_look:
            self._hints |= self._deferred
            self._deferred = set()
        await self._drain_hinted()
        wake_at = min(self._next_sweep, self._next_look if self._deferred else math.inf)
        return max(0.0, wake_at - time.monotonic())

    def _defer(self, collection: str, aggregate_ids: list[Any]) -> None:
        if aggregate_ids:
            if not self._deferred:
                self._next_look = time.monotonic() + LOOK_AGAIN_S
            self._deferred |= {(collection, aggregate_id) for aggregate_id in aggregate_ids}

    async def _drain_hinted(self) -> None:
        while self._hints:
            hints, self._hints = self._hints, set()
            try:
                await self._drain_all(hints)
            except BaseException:
                self._hints |= hints  # drained ones find nothing to do next time
                raise

    async def sweep(self) -> int:
        """Publish whatever is pending in any collection; returns events published."""
        before = self.published
        for collection in self._collections.values():
            pending = collection.find({OUTBOX_PENDING: True}, PENDING_FIELDS).limit(SWEEP_BATCH)
            found = [document async for document in pending]
            await observe_outbox(self._metrics, collection, found, SWEEP_BATCH)
            await self._drain_all([(collection.name, document["_id"]) for document in found])
        return self.published - before

    async def _drain_all(self, targets: Iterable[tuple[str, Any]]) -> None:
        """Drain (collection name, aggregate id) pairs, in batches, some at once."""
        batches: dict[str, list[Any]] = {}
        for name, aggregate_id in targets:
            batches.setdefault(name, []).append(aggregate_id)

        async def bounded(collection: AsyncCollection, ids: list[Any]) -> None:
            async with self._gate:
                await self.drain(collection, ids)

        results = await asyncio.gather(
            *(
                bounded(self._collections[name], ids[start : start + self._batch_size])
                for name, ids in batches.items()
                for start in range(0, len(ids), self._batch_size)
            ),
            return_exceptions=True,
        )
        failures = [result for result in results if isinstance(result, BaseException)]
        if failures:
            raise failures[0]

    async def drain(self, collection: AsyncCollection, aggregate_ids: list[Any]) -> None:
        """Publish these aggregates' outboxes, each in order, then finish them in bulk."""
        token = uuid.uuid4().hex
        now = datetime.now(UTC)
        documents = await outbox_lease.read(collection, aggregate_ids)
        flagged = [document for document in documents if outbox_lease.left_flagged(document)]
        cleared = await outbox_lease.clear_flags(collection, flagged)
        claims = [c for d in documents if (c := outbox_lease.claimable(d, now)) is not None]
        taken = await outbox_lease.take(collection, claims, token, now + self._lease)
        won = {claim.aggregate_id for claim in taken}
        # Leased by another relay, or read inconsistently: look again shortly.
        left = outbox_lease.unsettled(documents, cleared)
        self._defer(
            collection.name, [aggregate_id for aggregate_id in left if aggregate_id not in won]
        )
        published = await asyncio.gather(
            *(self._publish_in_order(claim) for claim in taken), return_exceptions=True
        )
        outcomes = list(zip(taken, published, strict=True))
        failed = [claim for claim, error in outcomes if error is not None]
        done = [claim for claim, error in outcomes if error is None]
        await outbox_lease.release(collection, failed, token)
        for aggregate_id in await outbox_lease.finish(collection, done, token):
            # A writer appended events while these were published: they go next round.
            self._hints.add((collection.name, aggregate_id))
        for error in published:
            if error is not None:
                raise error

    async def _publish_in_order(self, claim: outbox_lease.Claim) -> None:
        for raw in claim.events:
            await self._publish(from_outbox(raw))

    async def _publish(self, envelope: Envelope) -> None:
        with log_context(
            event_id=envelope.event_id,
            correlation_id=envelope.correlation_id,
            event_type=envelope.event_type,
        ):
            await self._publisher.publish_event(envelope)
            self.published += 1
            self._metrics.published(envelope.event_type)
            log.debug("event published")
