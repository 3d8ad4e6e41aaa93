"""A minimal service built on the messaging kernel, the way real services use it.

`Counter` is the producing aggregate, saved through the kernel's aggregate
store: each increment is one compare-and-swap write that also appends its
event to the document's outbox. `totals` is the consuming side: each event is
applied once with `apply_once`, recording its sequence.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from plut_shared.contracts import Envelope, Payload, event, make_envelope
from plut_shared.messaging import (
    AggregateStore,
    Cause,
    ConsumerQueue,
    InvalidMessage,
    Mapper,
    MessagingRuntime,
    OutboxRelay,
    ServiceTopology,
    apply_once,
)
from plut_shared.metrics.kernel import KernelMetrics
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
        centre_id=CENTRE,
        subject_id=counter_id,
        correlation_id=f"corr-{counter_id}",
    )


CENTRE = "kota-mojokerto"


@dataclass
class Counter:
    counter_id: str
    value: int = 0
    seq: int = 0
    centre_id: str = CENTRE
    pending_events: list[Payload] = field(default_factory=list)

    def increment(self, seq: int, amount: int) -> None:
        self.value += amount
        self.seq = seq
        self.pending_events.append(
            CounterIncremented(counter_id=self.counter_id, seq=seq, amount=amount)
        )

    def bump(self, amount: int = 1) -> None:
        """The next increment, whatever the last one was (for concurrent writers)."""
        self.increment(self.seq + 1, amount)

    def pull_events(self) -> list[Payload]:
        events, self.pending_events = self.pending_events, []
        return events


class CounterMapper(Mapper[Counter]):
    def id_of(self, aggregate: Counter) -> str:
        return aggregate.counter_id

    def to_document(self, aggregate: Counter) -> dict[str, Any]:
        return {"value": aggregate.value, "seq": aggregate.seq}

    def from_document(self, document: Mapping[str, Any]) -> Counter:
        return Counter(document["_id"], value=document["value"], seq=document["seq"])


async def write_increment(
    counters: AggregateStore[Counter], counter_id: str, seq: int, amount: int = 1
) -> Envelope:
    """State change and its event in one single-document write; returns the event."""
    cause = Cause(f"corr-{counter_id}")
    if seq == 1:
        counter = Counter(counter_id)
        counter.increment(seq, amount)
        (written,) = await counters.add(counter, cause)
        return written
    change = lambda counter: counter.increment(seq, amount)  # noqa: E731
    _, (written,) = await counters.change_with_events(counter_id, change, cause)
    return written


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
            payload.counter_id,
            {"$inc": {"total": payload.amount}, "$push": {"seqs": payload.seq}},
            envelope.event_id,
            create={"total": 0, "seqs": []},
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
        metrics: KernelMetrics | None = None,
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
        self.messaging = MessagingRuntime(service, settings, topology, metrics=metrics)
        self.messaging.consume("counters", {EVENT_TYPE: make_handler(self.db, self.behaviour)})
        self.relay = OutboxRelay(
            self.messaging.publisher,
            sweep_interval=settings.relay_sweep_interval_s,
            lease_seconds=settings.relay_lease_s,
            metrics=metrics,
        )
        self.counters = AggregateStore(
            self.db.counters, CounterMapper(), producer="testkit", on_events=self.relay.notify
        )
        self.relay.watch(self.counters.collection)

    async def start(self, relay: bool = True) -> None:
        await self.counters.create_indexes()
        await self.messaging.start()
        if relay:
            self.relay.start()

    async def stop(self) -> None:
        await self.relay.stop()
        await self.messaging.stop()
        await self.mongo.close()

    async def increment(self, counter_id: str, seq: int, amount: int = 1) -> Envelope:
        return await write_increment(self.counters, counter_id, seq, amount)
