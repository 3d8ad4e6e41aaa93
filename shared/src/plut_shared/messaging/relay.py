"""The outbox relay: publishes events that aggregates carry, in order, once each.

It wakes at once when the service wrote something (`notify`), and sweeps the
collections at start-up and every `sweep_interval` for leftovers after a
crash (a full scan on FerretDB, so not on every write). A lease on the
aggregate document keeps two replicas from publishing the same events in
normal operation; if a replica dies, its lease expires and another takes over
(then an event may be published twice, which idempotent consumers absorb).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection

from plut_shared.contracts import Envelope
from plut_shared.logs import log_context
from plut_shared.messaging.locks import DocumentLocks
from plut_shared.messaging.outbox import LEASE_HOLDER, LEASE_UNTIL, OUTBOX, PENDING, TAIL
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
        sweep_interval: float = 30.0,
        retry_pause: float = 1.0,
    ) -> None:
        self._collections = {c.name: c for c in collections}
        self._publisher = publisher
        self._locks = locks
        self._lease = timedelta(seconds=lease_seconds)
        self._sweep_interval = sweep_interval
        self._retry_pause = retry_pause
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

    async def stop(self, final_drain_s: float = 2.0) -> None:
        """Stop the loop, then publish what was written just before (bounded in time)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            await asyncio.wait_for(self._drain_hinted(), final_drain_s)
        except Exception:
            log.warning("events left in the outbox at shutdown", exc_info=True)

    async def _run(self) -> None:
        next_sweep = 0.0  # sweep at once on start: a crash may have left events behind
        while True:
            try:
                if time.monotonic() >= next_sweep:
                    await self.sweep()
                    next_sweep = time.monotonic() + self._sweep_interval
                await self._drain_hinted()
            except asyncio.CancelledError:
                raise
            except Exception:
                # Store or broker unavailable: the events stay put; try again soon.
                log.warning("outbox relay round failed", exc_info=True)
                await asyncio.sleep(self._retry_pause)
                continue
            with contextlib.suppress(TimeoutError):
                wait = max(0.0, next_sweep - time.monotonic())
                await asyncio.wait_for(self._wake.wait(), wait)
            self._wake.clear()

    async def _drain_hinted(self) -> None:
        while self._hints:
            name, aggregate_id = hint = self._hints.pop()
            try:
                await self.drain(self._collections[name], aggregate_id)
            except BaseException:
                self._hints.add(hint)
                raise

    async def sweep(self) -> int:
        """Publish whatever is pending in any collection; returns events published."""
        before = self.published
        for collection in self._collections.values():
            # Ids first, then drains: an open cursor would keep a read open on
            # FerretDB's SQLite file while the drains write.
            pending = await collection.find({PENDING: True}, {"_id": 1}).limit(500).to_list()
            for document in pending:
                await self.drain(collection, document["_id"])
        return self.published - before

    async def drain(self, collection: AsyncCollection, aggregate_id: Any) -> None:
        claimed = await self._claim(collection, aggregate_id, token=uuid.uuid4().hex)
        published = 0  # events at the head of the outbox already sent in this drain
        while claimed is not None:
            token, document = claimed
            events = [Envelope.model_validate(raw) for raw in document.get(OUTBOX, [])]
            for envelope in events[published:]:
                await self._publish(envelope)
            if await self._finish(collection, aggregate_id, token, document.get(TAIL, "")):
                return
            # Events were appended while publishing; they follow the ones sent.
            published = len(events)
            claimed = await self._claim(collection, aggregate_id, token=token)

    async def _claim(
        self, collection: AsyncCollection, aggregate_id: Any, token: str
    ) -> tuple[str, dict] | None:
        """Take (or renew) the lease on a document that has events to publish.

        Filters use `_id` and string equality only: FerretDB 1.x then finds the
        document by its key, whereas dates, numbers, `$or` or `$size` make it
        scan the collection. The lease is a compare-and-swap on the token read.
        """
        async with self._locks.hold(collection.name, aggregate_id):
            document = await collection.find_one({"_id": aggregate_id})
            if document is None or not document.get(PENDING):
                return None
            held_by = document.get(LEASE_HOLDER, "")
            until = document.get(LEASE_UNTIL)
            if until is not None and until.tzinfo is None:  # clients without tz_aware
                until = until.replace(tzinfo=UTC)
            now = datetime.now(UTC)
            if held_by not in ("", token) and until is not None and until > now:
                return None  # another relay is publishing these events
            taken = await collection.update_one(
                {"_id": aggregate_id, LEASE_HOLDER: held_by},
                {"$set": {LEASE_HOLDER: token, LEASE_UNTIL: now + self._lease}},
            )
        return (token, document) if taken.matched_count else None

    async def _publish(self, envelope: Envelope) -> None:
        with log_context(
            event_id=envelope.event_id,
            correlation_id=envelope.correlation_id,
            event_type=envelope.event_type,
        ):
            await self._publisher.publish_event(envelope)
            self.published += 1
            log.debug("event published")

    async def _finish(
        self, collection: AsyncCollection, aggregate_id: Any, token: str, tail: str
    ) -> bool:
        """Empty the outbox and free the lease in one write, unless events were appended."""
        async with self._locks.hold(collection.name, aggregate_id):
            released = await collection.update_one(
                {"_id": aggregate_id, LEASE_HOLDER: token, TAIL: tail},
                {"$set": {OUTBOX: [], PENDING: False, LEASE_HOLDER: ""}},
            )
        return bool(released.matched_count)
