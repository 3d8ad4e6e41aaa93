"""A minimal service built on the messaging kernel, the way real services use it.

`counters` is the producing aggregate: each increment is one atomic update that
also appends its event to the document's outbox. `totals` is the consuming
side: each event is applied once with `apply_once`, recording its sequence.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from plut_shared.contracts import Envelope, Payload, event, make_envelope
from plut_shared.messaging import (
    AggregateWriter,
    ConsumerQueue,
    DocumentLocks,
    InvalidMessage,
    MessagingRuntime,
    OutboxRelay,
    ServiceTopology,
    apply_once,
)
from plut_shared.settings import ServiceSettings
from pydantic import Field
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

EVENT_TYPE = "testkit.counter.incremented"


@event(EVENT_TYPE)
class CounterIncremented(Payload):
    counter_id: str = Field(description="Counter aggregate id.")
    seq: int = Field(ge=1, description="Sequence number within the counter.")
    amount: int = Field(description="Amount added; negative amounts are invalid.")


def increment_event(counter_id: str, seq: int, amount: int = 1) -> Envelope:
    return make_envelope(
        CounterIncremented(counter_id=counter_id, seq=seq, amount=amount),
        producer="testkit",
        centre_id="kota-mojokerto",
        subject_id=counter_id,
        correlation_id=f"corr-{counter_id}",
    )


async def write_increment(
    writer: AggregateWriter, db: AsyncDatabase, counter_id: str, seq: int, amount: int = 1
) -> Envelope:
    """State change and its event in one single-document write."""
    envelope = increment_event(counter_id, seq, amount)
    if seq == 1:
        await writer.insert(db.counters, {"_id": counter_id, "value": amount, "seq": 1}, [envelope])
    else:
        update = {"$inc": {"value": amount}, "$set": {"seq": seq}}
        await writer.update(db.counters, counter_id, seq - 1, update, [envelope])
    return envelope


@dataclass
class Behaviour:
    """Knobs tests turn to make the handler misbehave."""

    failures_left: int = 0
    always_fail: bool = False
    calls: int = 0
    completed: int = 0  # handler calls that returned (effect applied, or a duplicate)
    before_effect: Callable[[Envelope], Awaitable[None]] | None = None
    after_effect: Callable[[Envelope], Awaitable[None]] | None = None
    applied: list[str] = field(default_factory=list)


def make_handler(db: AsyncDatabase, behaviour: Behaviour):
    async def on_increment(envelope: Envelope, payload: CounterIncremented) -> None:
        behaviour.calls += 1
        if payload.amount < 0:
            raise InvalidMessage("amount must not be negative")
        if behaviour.always_fail or behaviour.failures_left > 0:
            behaviour.failures_left -= 1
            raise ConnectionError("store unavailable (simulated)")
        if behaviour.before_effect is not None:
            await behaviour.before_effect(envelope)
        applied = await apply_once(
            db.totals,
            {"_id": payload.counter_id},
            {"$inc": {"total": payload.amount}, "$push": {"seqs": payload.seq}},
            envelope.event_id,
            upsert=True,
        )
        if applied:
            behaviour.applied.append(envelope.event_id)
        if behaviour.after_effect is not None:
            await behaviour.after_effect(envelope)
        behaviour.completed += 1

    return on_increment


def settings_for(amqp_url: str, mongo_url: str, **overrides: Any) -> ServiceSettings:
    """Short retry delays and leases, so failure paths run in seconds."""
    fast: dict[str, Any] = {
        "retry_delays_ms": (200, 400),
        "immediate_attempts": 2,
        "relay_sweep_interval_s": 0.2,
        "relay_lease_s": 1.0,
        "graceful_timeout_s": 5,
    }
    return ServiceSettings(amqp_url=amqp_url, mongo_url=mongo_url, **{**fast, **overrides})


class CounterService:
    def __init__(
        self,
        service: str,
        settings: ServiceSettings,
        database: str,
        behaviour: Behaviour | None = None,
    ) -> None:
        self.mongo: AsyncMongoClient = AsyncMongoClient(settings.mongo_url)
        self.db = self.mongo[database]
        self.behaviour = behaviour or Behaviour()
        topology = ServiceTopology(
            service=service,
            queues=(ConsumerQueue("counters", ("testkit.counter.*",)),),
            retry_delays_ms=settings.retry_delays_ms,
            delivery_limit=settings.delivery_limit,
        )
        self.messaging = MessagingRuntime(service, settings, topology)
        self.messaging.consume("counters", {EVENT_TYPE: make_handler(self.db, self.behaviour)})
        locks = DocumentLocks()
        self.relay = OutboxRelay(
            [self.db.counters],
            self.messaging.publisher,
            locks,
            sweep_interval=settings.relay_sweep_interval_s,
            lease_seconds=settings.relay_lease_s,
        )
        self.writer = AggregateWriter(locks, self.relay)

    async def start(self, relay: bool = True) -> None:
        await self.messaging.start()
        if relay:
            self.relay.start()

    async def stop(self) -> None:
        await self.relay.stop()
        await self.messaging.stop()
        await self.mongo.close()

    async def increment(self, counter_id: str, seq: int, amount: int = 1) -> Envelope:
        return await write_increment(self.writer, self.db, counter_id, seq, amount)
